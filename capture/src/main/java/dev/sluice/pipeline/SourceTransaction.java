package dev.sluice.pipeline;

import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.position.BinlogCoordinates;
import dev.sluice.position.BinlogPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source transaction as the stream reads it, from its GTID event to its end: its GTID, commit time and start in
 * the binlog, how many row changes it has had so far, and how many of those were published before a restart (a
 * transaction split by pipeline.max-transaction-events, resumed inside). Owned by the stream thread.
 */
final class SourceTransaction {
    private static final Logger log = LoggerFactory.getLogger(SourceTransaction.class);

    private final String gtid;
    private final long ordinal;
    private final long commitTimeMs;
    private final long skip;
    private final BinlogCoordinates start;
    private long rowChanges;

    private SourceTransaction(String gtid, long ordinal, long commitTimeMs, long skip, BinlogCoordinates start) {
        this.gtid = gtid;
        this.ordinal = ordinal;
        this.commitTimeMs = commitTimeMs;
        this.skip = skip;
        this.start = start;
    }

    /**
     * The transaction {@code gtid} begins at {@code start}, after the transactions of {@code before}. {@code
     * resumeFrom} is the committed position for the first transaction after connecting, null afterwards: a position
     * inside a transaction must name this one, whose first events are then skipped (already published).
     */
    static SourceTransaction begin(
            String gtid, long commitTimeMs, BinlogCoordinates start, BinlogPosition before, BinlogPosition resumeFrom) {
        long ordinal = ordinalAfter(before, gtid);
        return new SourceTransaction(gtid, ordinal, commitTimeMs, eventsPublishedBefore(gtid, resumeFrom), start);
    }

    /**
     * The transaction's ordinal ({@code SourceVersion}): it must exceed every earlier one, or a loader would take
     * this transaction's changes for older ones. MariaDB without gtid_strict_mode can log a sequence number lower
     * than the domain's last one: stop there rather than publish a version that goes backwards.
     */
    private static long ordinalAfter(BinlogPosition before, String gtid) {
        long previous = before.gtids().ordinal();
        long ordinal = before.gtids().with(gtid).ordinal();
        if (ordinal <= previous) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Transaction " + gtid + " does not come after " + before.gtids() + " in its GTID domain (its "
                            + "sequence number is not above the last one): the server runs without gtid_strict_mode. "
                            + "Loaders order changes by GTID; set gtid_strict_mode=ON on the source. Stopped at "
                            + before.describe() + ".");
        }
        return ordinal;
    }

    private static long eventsPublishedBefore(String gtid, BinlogPosition resumeFrom) {
        if (resumeFrom == null || !resumeFrom.isInsideTransaction()) {
            return 0;
        }
        if (!resumeFrom.partialGtid().equals(gtid)) {
            throw new SluiceException(
                    ExitCode.POSITION_LOST,
                    "The stored position is inside transaction " + resumeFrom.partialGtid() + ", but the server sent "
                            + gtid + " first. The source's history differs from what was published; refusing to "
                            + "continue from " + resumeFrom.describe() + ".");
        }
        log.info(
                "Resuming inside transaction {}: skipping its first {} row events, already published",
                gtid,
                resumeFrom.partialEvents());
        return resumeFrom.partialEvents();
    }

    /** The index of the next row change in this transaction (0-based): its {@code source.event}. */
    long nextEventIndex() {
        return rowChanges++;
    }

    /** Whether the row change at {@code eventIndex} was published before a restart. */
    boolean alreadyPublished(long eventIndex) {
        return eventIndex < skip;
    }

    long rowChanges() {
        return rowChanges;
    }

    String gtid() {
        return gtid;
    }

    /** Its place in the source's history: {@code GtidSet#ordinal} once it committed ({@code source.ordinal}). */
    long ordinal() {
        return ordinal;
    }

    long commitTimeMs() {
        return commitTimeMs;
    }

    /**
     * Where the transaction starts in the binlog (the end of the event before its GTID event). A snapshot chunk read
     * at coordinates P saw this transaction exactly when it starts before P: P is always a transaction boundary, so
     * comparing with the start is exact, and needs no coordinates from inside the transaction.
     */
    BinlogCoordinates start() {
        return start;
    }
}
