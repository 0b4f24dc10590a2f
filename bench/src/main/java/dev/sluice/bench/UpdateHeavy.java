package dev.sluice.bench;

import dev.sluice.bench.Backlog.Change;
import dev.sluice.bench.Backlog.Transaction;
import java.sql.SQLException;
import java.util.List;

/**
 * W4, update-heavy, on {@code bench.kv (id, version, payload)}: first a key set of a tenth of the events inserted in
 * 100-row transactions, then mostly UPDATEs of those rows — 1-row transactions, 10-row range updates, and
 * transactions that update one row twice (the order inside a transaction matters) — with DELETEs of 10 rows
 * interleaved evenly, which remove a fifth of the keys by the end. Every update increments {@code version} and
 * rewrites {@code payload}, so it always changes the row (an unchanged row would write no binlog event). Updates
 * only touch keys that are never deleted, so every statement changes exactly the rows it declares.
 */
final class UpdateHeavy implements Backlog.Generator {
    static final BacklogTable TABLE = new BacklogTable(
            "bench",
            "kv",
            "CREATE TABLE bench.kv (id BIGINT PRIMARY KEY, version INT NOT NULL, payload VARCHAR(100) NOT NULL)",
            List.of(CheckedColumn.integer("id"), CheckedColumn.integer("version"), CheckedColumn.text("payload")));
    static final int INSERTS_PER_TRANSACTION = 100;
    static final int RANGE_ROWS = 10;
    private static final String SET = "UPDATE bench.kv SET version = version + 1, payload = "
            + NarrowRows.payload("CONCAT(id, '/', version)") + " WHERE ";

    private final long keys;
    private final long deletes;
    private final long updates;

    UpdateHeavy(long events) {
        this.keys = Math.max(INSERTS_PER_TRANSACTION, events / 10 / INSERTS_PER_TRANSACTION * INSERTS_PER_TRANSACTION);
        this.deletes = keys / 5;
        this.updates = Math.max(0, events - keys - deletes);
    }

    @Override
    public String shape() {
        return String.format(
                java.util.Locale.ROOT,
                "%,d keys inserted, then %,d updates (1-row, 10-row and "
                        + "same-row-twice transactions) with %,d deletes interleaved",
                keys,
                updates,
                deletes);
    }

    @Override
    public List<BacklogTable> tables() {
        return List.of(TABLE);
    }

    @Override
    public void write(Backlog.Sink sink) throws SQLException {
        for (long first = 1; first <= keys; first += INSERTS_PER_TRANSACTION) {
            sink.add(Transaction.of(Change.insert(
                    0,
                    INSERTS_PER_TRANSACTION,
                    "INSERT INTO bench.kv (id, version, "
                            + "payload) SELECT seq, 0, " + NarrowRows.payload("seq") + " FROM "
                            + NarrowRows.sequence(first, INSERTS_PER_TRANSACTION))));
        }
        long updatable = keys - deletes;
        long updated = 0;
        long deleted = 0;
        for (long i = 0; updated < updates || deleted < deletes; i++) {
            if (deleted < deletes && (updated >= updates || deleted * (double) updates <= updated * (double) deletes)) {
                long rows = Math.min(RANGE_ROWS, deletes - deleted);
                long from = updatable + deleted + 1;
                sink.add(Transaction.of(Change.delete(
                        0, rows, "DELETE FROM bench.kv WHERE id BETWEEN " + from + " AND " + (from + rows - 1))));
                deleted += rows;
                continue;
            }
            Transaction t = update(i, updatable, updates - updated);
            sink.add(t);
            updated += t.rowChanges();
        }
    }

    /** The i-th update transaction over keys 1..updatable, changing at most {@code left} rows. */
    static Transaction update(long i, long updatable, long left) {
        long key = 1 + (i * 7919) % updatable;
        if (i % 4 == 3 && left >= RANGE_ROWS && updatable >= RANGE_ROWS) {
            long from = 1 + (i * 104729) % (updatable - RANGE_ROWS + 1);
            return Transaction.of(
                    Change.update(0, RANGE_ROWS, SET + "id BETWEEN " + from + " AND " + (from + RANGE_ROWS - 1)));
        }
        if (i % 10 == 5 && left >= 2) {
            Change once = Change.update(0, 1, SET + "id = " + key);
            return Transaction.of(once, once);
        }
        return Transaction.of(Change.update(0, 1, SET + "id = " + key));
    }
}
