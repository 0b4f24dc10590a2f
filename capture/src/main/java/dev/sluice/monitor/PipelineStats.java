package dev.sluice.monitor;

import dev.sluice.position.BinlogPosition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters the pipeline thread publishes for progress lines, the demo, {@code /health} and {@code /metrics}. Written
 * by the pipeline thread only; read by anyone (the admin endpoint's threads read it without locks, so each value is
 * individually fresh but two values are not a consistent pair).
 */
public final class PipelineStats {
    private final AtomicLong eventsCommitted = new AtomicLong();
    private final AtomicLong transactionsCommitted = new AtomicLong();
    private final AtomicLong kafkaCommits = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    /** Written once per binlog item with lazySet: a plain store on the hot path, visible to readers soon after. */
    private final AtomicLong lastSourceActivityAtMs = new AtomicLong();

    private volatile BinlogPosition committed;
    private volatile long lastCommitAtMs;
    private volatile long lastCommittedSourceTimeMs;
    private volatile boolean streaming;
    private volatile long streamingSinceMs;
    private volatile long caughtUpAtMs;
    private volatile PositionFile positionFile;
    private final ConcurrentHashMap<String, SnapshotStatus> snapshots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TableActivity> tables = new ConcurrentHashMap<>();
    private volatile SourceServer server;

    /** The source as the last connection found it. */
    public record SourceServer(String address, String flavor, String version) {}

    /**
     * One table's committed change events since the process started.
     *
     * @param lastChangeMs source commit time of the newest one (binlog timestamps have one-second resolution)
     */
    public record TableActivity(long events, long lastChangeMs) {}

    /**
     * One table copy as the metrics show it.
     *
     * @param estimatedRows the server's estimate when the copy started (-1 unknown)
     * @param etaSeconds    at the current rate; -1 unknown, 0 when finished
     */
    public record SnapshotStatus(
            long rowsCopied, long estimatedRows, long chunks, double rowsPerSecond, long etaSeconds, boolean finished) {
        /** The status of a copy at {@code rowsPerSecond}, its ETA from the estimate. */
        public static SnapshotStatus of(
                long rowsCopied, long estimatedRows, long chunks, double rowsPerSecond, boolean finished) {
            long eta = finished
                    ? 0
                    : rowsPerSecond <= 0 || estimatedRows <= 0
                            ? -1
                            : Math.round(Math.max(0, estimatedRows - rowsCopied) / rowsPerSecond);
            return new SnapshotStatus(rowsCopied, estimatedRows, chunks, rowsPerSecond, eta, finished);
        }

        /** Share done by the estimate: 1 when finished, at most 0.99 before (the estimate can be low), 0 unknown. */
        public double fraction() {
            if (finished) {
                return 1;
            }
            return estimatedRows <= 0 ? 0 : Math.min(0.99, rowsCopied / (double) estimatedRows);
        }
    }

    public void recordSnapshot(String table, SnapshotStatus status) {
        snapshots.put(table, status);
    }

    public Map<String, SnapshotStatus> snapshots() {
        return Map.copyOf(snapshots);
    }

    public void recordServer(SourceServer server) {
        this.server = server;
    }

    /** Null before the first connection. */
    public SourceServer server() {
        return server;
    }

    /** {@code events} change events of {@code table} were committed to Kafka, the newest from {@code sourceTimeMs}. */
    public void recordTableEvents(String table, long events, long sourceTimeMs) {
        tables.merge(
                table,
                new TableActivity(events, sourceTimeMs),
                (a, b) -> new TableActivity(a.events() + b.events(), Math.max(a.lastChangeMs(), b.lastChangeMs())));
    }

    public Map<String, TableActivity> tableActivity() {
        return Map.copyOf(tables);
    }

    /**
     * Seconds between now and the source commit time of the newest transaction committed to Kafka, 0 while caught up;
     * -1 before anything is known.
     */
    public long lagSeconds(long nowMs) {
        long current = lagReferenceMs();
        return current <= 0 ? -1 : Math.max(0, nowMs - current) / 1000;
    }

    /** The source time the pipeline is at: the newest committed transaction's, or now-ish while caught up. */
    public long lagReferenceMs() {
        return Math.max(lastCommittedSourceTimeMs, caughtUpAtMs);
    }

    /**
     * The binlog file that holds the committed position, as far as a purge is concerned: the newest file whose
     * start is at or before the committed position (after a rotation with nothing uncommitted, that is the new
     * file, even though the stored position still names the old one).
     *
     * @param file            binlog file name on the source
     * @param lastEventTimeMs source timestamp of the newest event the stream has read from it (0 if none): the
     *                        server stamps the file's modification time no earlier than this
     * @param closed          the stream has read past its end (a rotation), so {@code lastEventTimeMs} is final and
     *                        approximates the file's modification time, which decides when retention purges it
     */
    public record PositionFile(String file, long lastEventTimeMs, boolean closed) {}

    public void recordCommit(BinlogPosition position, long events, long transactions, long sourceTimeMs, long nowMs) {
        eventsCommitted.addAndGet(events);
        transactionsCommitted.addAndGet(transactions);
        kafkaCommits.incrementAndGet();
        committed = position;
        lastCommitAtMs = nowMs;
        if (sourceTimeMs > 0) {
            lastCommittedSourceTimeMs = sourceTimeMs;
        }
    }

    public void recordStart(BinlogPosition position) {
        committed = position;
    }

    /** The binlog connection is open and the stream loop is running (false again while reconnecting). */
    public void recordStreaming(boolean streaming, long nowMs) {
        if (streaming) {
            streamingSinceMs = nowMs;
            lastSourceActivityAtMs.set(nowMs);
        }
        this.streaming = streaming;
    }

    /** A binlog event or heartbeat arrived. */
    public void recordSourceActivity(long nowMs) {
        lastSourceActivityAtMs.lazySet(nowMs);
    }

    /** Everything the binlog connection delivered is read and committed (checked when the stream is idle). */
    public void recordCaughtUp(long nowMs) {
        caughtUpAtMs = nowMs;
    }

    public void recordPositionFile(PositionFile file) {
        positionFile = file;
    }

    public boolean isStreaming() {
        return streaming;
    }

    public void recordReconnect() {
        reconnects.incrementAndGet();
    }

    public long eventsCommitted() {
        return eventsCommitted.get();
    }

    public long transactionsCommitted() {
        return transactionsCommitted.get();
    }

    public long kafkaCommits() {
        return kafkaCommits.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    public BinlogPosition committed() {
        return committed;
    }

    /** Local time of the last Kafka commit (data or keep-alive); 0 before the first. */
    public long lastCommitAtMs() {
        return lastCommitAtMs;
    }

    /** Binlog timestamp (second resolution) of the newest committed source transaction; 0 before the first. */
    public long lastCommittedSourceTimeMs() {
        return lastCommittedSourceTimeMs;
    }

    /** Local time streaming last started (0 if never). */
    public long streamingSinceMs() {
        return streamingSinceMs;
    }

    /** Local time the stream was last seen caught up (idle with nothing uncommitted); 0 if never. */
    public long caughtUpAtMs() {
        return caughtUpAtMs;
    }

    /** Local time the last binlog event or heartbeat arrived. */
    public long lastSourceActivityAtMs() {
        return lastSourceActivityAtMs.get();
    }

    /** Where the committed position lives for purge purposes; null until the stream has told. */
    public PositionFile positionFile() {
        return positionFile;
    }
}
