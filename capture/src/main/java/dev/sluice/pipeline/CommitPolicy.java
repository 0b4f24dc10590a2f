package dev.sluice.pipeline;

import dev.sluice.config.SluiceConfig;
import java.time.Duration;

/**
 * When the stream commits its open Kafka transaction (docs/commit-timing.md). Between source transactions, once
 * anything is pending, a commit is due as soon as one of these holds:
 *
 * <ol>
 *   <li>the batch holds pipeline.commit-max-events row events;</li>
 *   <li>the batch is pipeline.commit-interval-ms old;</li>
 *   <li>the pipeline has caught up (every event the server sent is handled) and the previous commit is at least
 *       pipeline.commit-min-interval-ms ago.</li>
 * </ol>
 *
 * With nothing pending, the unchanged position is committed again every source.heartbeat-seconds (the idle
 * keep-alive). Inside a source transaction nothing is committed, except after every pipeline.max-transaction-events
 * row changes of one transaction (the split, see {@link #splitsTransactionAfter}).
 *
 * <p>It owns the batch's size and age and the time of the last commit, and decides on the {@code nowMs} it is given:
 * no Kafka, no threads, no clock of its own. Owned by the stream thread.
 */
final class CommitPolicy {
    private final long intervalMs;
    private final long minIntervalMs;
    private final long maxEvents;
    private final long maxTransactionEvents;
    private final long keepAliveMs;

    private long events;
    private long transactions;
    private long startedMs = -1;
    private long lastCommitMs;

    CommitPolicy(SluiceConfig.Pipeline config, Duration keepAlive, long nowMs) {
        this.intervalMs = config.commitIntervalMs();
        this.minIntervalMs = config.commitMinIntervalMs();
        this.maxEvents = config.commitMaxEvents();
        this.maxTransactionEvents = config.maxTransactionEvents();
        this.keepAliveMs = keepAlive.toMillis();
        this.lastCommitMs = nowMs; // a fresh stream counts as just committed
    }

    /** {@code n} records went into the open Kafka transaction (zero still starts the batch's clock). */
    void sent(long n, long nowMs) {
        events += n;
        startBatch(nowMs);
    }

    /** A source transaction is complete: its position can be committed, even if it had no captured rows. */
    void transactionEnded(long nowMs) {
        transactions++;
        startBatch(nowMs);
    }

    void committed(long nowMs) {
        lastCommitMs = nowMs;
        events = 0;
        transactions = 0;
        startedMs = -1;
    }

    /** Whether anything awaits a commit: records sent, or a source transaction completed, since the last one. */
    boolean pending() {
        return events > 0 || transactions > 0;
    }

    /** Between source transactions: whether to commit now. {@code caughtUp}: the binlog client's queue is empty. */
    boolean dueAtBoundary(boolean caughtUp, long nowMs) {
        if (!pending()) {
            return false;
        }
        boolean full = events >= maxEvents;
        boolean old = startedMs >= 0 && nowMs - startedMs >= intervalMs;
        return full || old || caughtUp && nowMs - lastCommitMs >= minIntervalMs;
    }

    /** Idle with nothing pending: whether to commit the unchanged position again (the keep-alive). */
    boolean keepAliveDue(long nowMs) {
        return !pending() && nowMs - lastCommitMs >= keepAliveMs;
    }

    /**
     * Whether a source transaction that has had {@code rowChanges} row changes is committed in part now. The delivery
     * guarantee weakens here, by configuration: a read_committed consumer can see the parts before the whole.
     */
    boolean splitsTransactionAfter(long rowChanges) {
        return rowChanges % maxTransactionEvents == 0;
    }

    /** Whether another snapshot chunk fits into the batch (a chunk never makes one transaction grow unbounded). */
    boolean hasRoomForChunk() {
        return events < maxEvents;
    }

    /** How long the stream may wait for the next binlog event before a commit (or a chunk) needs it. */
    long pollTimeoutMs(boolean insideTransaction, boolean copying, long nowMs) {
        if (copying) {
            return 2; // a copy is running: publish its chunks as they arrive, not at the next binlog event
        }
        if (startedMs < 0) {
            return 200;
        }
        long due = startedMs + intervalMs;
        if (!insideTransaction) {
            due = Math.min(due, lastCommitMs + minIntervalMs); // caught up: commit once allowed
        }
        return Math.max(1, due - nowMs);
    }

    private void startBatch(long nowMs) {
        if (startedMs < 0) {
            startedMs = nowMs;
        }
    }

    long events() {
        return events;
    }

    long transactions() {
        return transactions;
    }
}
