package dev.sluice.bench;

/**
 * Whose JSON a topic holds, for the checks: Sluice's (docs/types.md; no tombstones) or Debezium's (its own value
 * types for some columns, see {@link CheckedColumn}; by default a tombstone, a record with a null value, after each
 * delete).
 */
public enum Representation {
    SLUICE(0),
    DEBEZIUM(1);

    private final int tombstonesPerDelete;

    Representation(int tombstonesPerDelete) {
        this.tombstonesPerDelete = tombstonesPerDelete;
    }

    public long expectedTombstones(long deletes) {
        return deletes * tombstonesPerDelete;
    }
}
