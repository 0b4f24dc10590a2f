package dev.sluice.position;

import java.util.Objects;

/**
 * Where the pipeline stands in the source's binlog: everything up to here is published to Kafka, nothing after.
 *
 * <ul>
 *   <li>{@code gtids} — every source transaction that is published completely. This is what a reconnect hands to
 *       the server ({@code @slave_connect_state} on MariaDB, the executed GTID set on MySQL).</li>
 *   <li>{@code file}, {@code offset} — the binlog coordinates just after those transactions on the server that
 *       wrote them. Shown in messages so an operator can find the spot with {@code mariadb-binlog}; not used to
 *       reconnect, because they are not valid on another server after a failover.</li>
 *   <li>{@code partialGtid}, {@code partialEvents} — set only when one source transaction was larger than
 *       {@code pipeline.max-transaction-events} and was split across Kafka transactions: the GTID of that transaction
 *       and how many of its row events are already published. A resume re-reads that transaction from its start and
 *       skips exactly that many row events.</li>
 * </ul>
 *
 * <p>Order ({@link #compareTo}): first by GTID set (a proper subset is earlier), then, for the same set, by the
 * number of events already published of the next transaction. Positions from divergent histories (neither set
 * contains the other) have no order and {@code compareTo} throws {@link IncomparablePositionsException}.
 *
 * <p>Persisted format, version 1 — a JSON object in the compacted position topic, keyed by pipeline name
 * (see {@link PositionJson}):
 * <pre>{"version":1,"flavor":"MARIADB","gtids":"0-1-42","file":"mysql-bin.000002","offset":4711,
 *  "partial_gtid":null,"partial_events":0,"server_id":1,"committed_at_ms":1764000000000}</pre>
 */
public record BinlogPosition(GtidSet gtids, String file, long offset, String partialGtid, long partialEvents)
        implements Comparable<BinlogPosition> {

    public BinlogPosition {
        Objects.requireNonNull(gtids, "gtids");
        Objects.requireNonNull(file, "file");
        if ((partialGtid == null) != (partialEvents == 0)) {
            throw new IllegalArgumentException(
                    "partialGtid and partialEvents go together: " + partialGtid + "/" + partialEvents);
        }
    }

    /** A position at a transaction boundary. */
    public static BinlogPosition atBoundary(GtidSet gtids, String file, long offset) {
        return new BinlogPosition(gtids, file, offset, null, 0);
    }

    /** The position after the transaction {@code gtid} is published completely. */
    public BinlogPosition afterTransaction(String gtid, String nextFile, long nextOffset) {
        return atBoundary(gtids.with(gtid), nextFile, nextOffset);
    }

    /** The position inside transaction {@code gtid} after {@code eventsPublished} of its row events. */
    public BinlogPosition insideTransaction(String gtid, long eventsPublished) {
        return new BinlogPosition(gtids, file, offset, gtid, eventsPublished);
    }

    public boolean isInsideTransaction() {
        return partialGtid != null;
    }

    @Override
    public int compareTo(BinlogPosition other) {
        if (gtids.equals(other.gtids)) {
            return Long.compare(partialEvents, other.partialEvents);
        }
        if (gtids.isSubsetOf(other.gtids)) {
            return -1;
        }
        if (other.gtids.isSubsetOf(gtids)) {
            return 1;
        }
        throw new IncomparablePositionsException(this, other);
    }

    /** Human-readable, for log lines and error messages. */
    public String describe() {
        String base = "GTID " + (gtids.isEmpty() ? "(none)" : gtids) + " (" + file + ":" + offset + ")";
        return partialGtid == null ? base : base + ", inside " + partialGtid + " after " + partialEvents + " events";
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Two positions from histories that diverged; neither is before the other. */
    public static final class IncomparablePositionsException extends IllegalStateException {
        IncomparablePositionsException(BinlogPosition a, BinlogPosition b) {
            super("Positions from divergent GTID histories cannot be ordered: " + a.describe() + " vs " + b.describe());
        }
    }
}
