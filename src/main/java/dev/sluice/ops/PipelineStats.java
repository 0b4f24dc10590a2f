package dev.sluice.ops;

import dev.sluice.position.BinlogPosition;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters the pipeline thread publishes for progress lines, the demo and (later) metrics. Written by the pipeline
 * thread only; read by anyone.
 */
public final class PipelineStats {
    private final AtomicLong eventsCommitted = new AtomicLong();
    private final AtomicLong transactionsCommitted = new AtomicLong();
    private final AtomicLong kafkaCommits = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile BinlogPosition committed;
    private volatile long lastCommitAtMs;
    private volatile long lastCommittedSourceTimeMs;
    private volatile boolean streaming;

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
    public void recordStreaming(boolean streaming) {
        this.streaming = streaming;
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

    public long lastCommitAtMs() {
        return lastCommitAtMs;
    }

    /** Binlog timestamp (second resolution) of the newest committed source transaction; 0 before the first. */
    public long lastCommittedSourceTimeMs() {
        return lastCommittedSourceTimeMs;
    }
}
