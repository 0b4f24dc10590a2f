package dev.sluice.position;

/**
 * The version of a row change in its source's history, comparable across everything a loader can be shown: the
 * stream, table copies interleaved with it, a replay of the topics, a re-copy, and the stream after a failover to a
 * GTID replica. A loader applies a change to a row only when the change's version is greater than the version the
 * row (or its deletion) was last written with, so nothing it is shown twice, late or out of order can move a row
 * backwards.
 *
 * <ul>
 *   <li>{@code ordinal} — the transaction's place in the source's history: {@link GtidSet#ordinal()} of the
 *       server's GTID state once the transaction has committed. It grows with every transaction and is the same on
 *       any server that applied the same transactions.</li>
 *   <li>{@code event} — the index of the row change inside its transaction (0-based, as {@code source.event} of
 *       the envelope); for a copied row ({@code op: r}), {@link #COPIED}: a copy published at a stream position
 *       shows the row as every transaction up to that position left it, so it comes after each of their changes
 *       and before the next transaction's.</li>
 * </ul>
 *
 * <p>Order ({@link #compareTo}): by ordinal, then by event. Two copies of a row at the same position are equal, and
 * equal versions hold equal rows, so a loader keeps the one it has.
 *
 * <p>Persisted format, version 1: the envelope carries the ordinal as {@code source.ordinal} (the event index is
 * {@code source.event}); a target keeps both as two 64-bit integer columns of the row, {@code _sluice_ordinal} and
 * {@code _sluice_event}.
 */
public record SourceVersion(long ordinal, long event) implements Comparable<SourceVersion> {
    /** The event index of a copied row: after every change of the transactions before its stream position. */
    public static final long COPIED = Long.MAX_VALUE;

    public SourceVersion {
        if (ordinal < 0 || event < 0) {
            throw new IllegalArgumentException("A source version is never negative: " + ordinal + "/" + event);
        }
    }

    /** The version of the {@code event}-th row change of the transaction that brought the source to {@code ordinal}. */
    public static SourceVersion ofChange(long ordinal, long event) {
        return new SourceVersion(ordinal, event);
    }

    /** The version of a row copied at a stream position whose GTID state has {@code ordinal}. */
    public static SourceVersion ofCopy(long ordinal) {
        return new SourceVersion(ordinal, COPIED);
    }

    public boolean isCopy() {
        return event == COPIED;
    }

    public boolean isAfter(SourceVersion other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(SourceVersion other) {
        int byOrdinal = Long.compare(ordinal, other.ordinal);
        return byOrdinal != 0 ? byOrdinal : Long.compare(event, other.event);
    }

    @Override
    public String toString() {
        return ordinal + (isCopy() ? "/copy" : "/" + event);
    }
}
