package dev.sluice.position;

/**
 * The set of source transactions a position covers, in the server's own text format so it can be handed
 * back to the server when reconnecting. Immutable: {@link #with(String)} returns a new set.
 *
 * <p>Order: {@code a} is before {@code b} when {@code a} is a proper subset of {@code b}. Two sets where neither
 * contains the other come from divergent histories (for example a replica that missed transactions) and have no
 * order; {@link #isSubsetOf} lets a caller detect that instead of guessing.
 */
public sealed interface GtidSet permits MariaDbGtidSet, MySqlGtidSet {

    Flavor flavor();

    /** This set plus one more transaction. */
    GtidSet with(String gtid);

    boolean contains(String gtid);

    boolean isSubsetOf(GtidSet other);

    boolean isEmpty();

    /**
     * How many transactions this set stands for along the server's history: MariaDB, the sum over the domains of
     * each one's last sequence number; MySQL, the number of GTIDs in the set. Along one history it grows with every
     * transaction (MariaDB needs sequence numbers that only grow within a domain, as {@code gtid_strict_mode}
     * enforces) and it is the same on a replica that has applied the same transactions, so it orders the
     * transactions of a source across a failover. See {@link SourceVersion}.
     */
    long ordinal();

    /** The server's text format: {@code 0-1-42,1-2-7} (MariaDB) or {@code uuid:1-42} (MySQL). */
    @Override
    String toString();

    static GtidSet parse(Flavor flavor, String text) {
        return switch (flavor) {
            case MARIADB -> MariaDbGtidSet.parse(text);
            case MYSQL -> MySqlGtidSet.parse(text);
        };
    }

    static GtidSet empty(Flavor flavor) {
        return parse(flavor, "");
    }
}
