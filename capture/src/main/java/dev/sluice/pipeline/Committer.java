package dev.sluice.pipeline;

import dev.sluice.kafka.KafkaWriter;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.position.BinlogPosition;
import dev.sluice.position.Checkpoint;
import dev.sluice.snapshot.ChunkHandoff;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of the position: the last committed one and the boundary after the last complete source transaction
 * (equal to or after it). It is the only code that advances the position, and does so only by committing it to
 * Kafka together with the events it covers ({@link KafkaWriter#commit}), when {@link CommitPolicy} says so: at a
 * boundary, as the idle keep-alive, inside an oversized transaction, and on stop. It also runs the fencing probe.
 * Owned by the stream thread.
 */
final class Committer {
    private static final Logger log = LoggerFactory.getLogger(Committer.class);

    private final KafkaWriter writer;
    private final ChunkHandoff chunks;
    private final PipelineStats stats;
    private final CommitPolicy policy;
    private final BinlogFileTimes fileTimes;
    private final LongSupplier clock;
    private final TableCounts tableCounts = new TableCounts();

    private BinlogPosition committed;
    private BinlogPosition boundary;
    /** Commit time of the last complete source transaction, for the lag metric. */
    private long lastSourceCommitMs;

    Committer(
            KafkaWriter writer,
            ChunkHandoff chunks,
            PipelineStats stats,
            CommitPolicy policy,
            BinlogFileTimes fileTimes,
            BinlogPosition start,
            LongSupplier clock) {
        this.writer = writer;
        this.chunks = chunks;
        this.stats = stats;
        this.policy = policy;
        this.fileTimes = fileTimes;
        this.clock = clock;
        this.committed = start;
        this.boundary = start;
    }

    BinlogPosition committed() {
        return committed;
    }

    /** The position after the last complete source transaction: where the stream stands between transactions. */
    BinlogPosition boundary() {
        return boundary;
    }

    /** Nothing sent and no source transaction completed since the last commit. */
    boolean nothingPending() {
        return !policy.pending();
    }

    /** Per-table change counts of the open Kafka transaction, published when it commits. */
    TableCounts tableCounts() {
        return tableCounts;
    }

    /** {@code n} records went into the open Kafka transaction. */
    void sent(long n, long nowMs) {
        policy.sent(n, nowMs);
    }

    boolean hasRoomForChunk() {
        return policy.hasRoomForChunk();
    }

    long pollTimeoutMs(boolean insideTransaction, boolean copying) {
        return policy.pollTimeoutMs(insideTransaction, copying, clock.getAsLong());
    }

    /** {@code tx} is complete; the next transaction starts at {@code nextFile:nextPosition}. */
    void transactionEnded(SourceTransaction tx, String nextFile, long nextPosition) {
        boundary = boundary.afterTransaction(tx.gtid(), nextFile, nextPosition);
        lastSourceCommitMs = tx.commitTimeMs();
        policy.transactionEnded(clock.getAsLong());
    }

    /** Between source transactions: commits the boundary if the policy says it is time. */
    void commitIfDue(boolean caughtUp) {
        if (policy.dueAtBoundary(caughtUp, clock.getAsLong())) {
            commit(boundary);
        }
    }

    /**
     * Between source transactions, with the binlog queue empty: every event the server sent has been handled. With
     * nothing uncommitted either, the pipeline is caught up with the source right now (what the lag metric reports),
     * and every source.heartbeat-seconds the unchanged position is committed again: an empty Kafka transaction that
     * proves the Kafka side still works while idle (a dead broker or a fencing instance is noticed now, not at the
     * next write) and gives /health a recent commit to judge progress by.
     */
    void whenIdle() {
        if (policy.pending()) {
            return;
        }
        long now = clock.getAsLong();
        stats.recordCaughtUp(now);
        if (policy.keepAliveDue(now)) {
            commit(committed);
        }
    }

    /**
     * The delivery guarantee weakens here, by configuration: a source transaction with more than
     * pipeline.max-transaction-events row events is committed to Kafka in parts, so a read_committed consumer can
     * see part of it before the rest. Still exactly once: the position records how many of its events are out.
     */
    void splitIfFull(SourceTransaction tx, long maxTransactionEvents) {
        if (!policy.splitsTransactionAfter(tx.rowChanges())) {
            return;
        }
        log.info(
                "Transaction {} exceeds pipeline.max-transaction-events ({}); committing its first {} events",
                tx.gtid(),
                maxTransactionEvents,
                tx.rowChanges());
        commit(boundary.insideTransaction(tx.gtid(), tx.rowChanges()));
    }

    /**
     * A newer instance of this pipeline (same config, so the same server_id) displaces this one's binlog connection
     * and fences its Kafka producer at once; which of the two this instance notices first is a race. Kafka's answer
     * is the one that names the cause, so ask it before reporting a server_id collision: abort the open
     * transaction, or with nothing pending repeat the idle heartbeat commit of the unchanged position. Both throw
     * the fencing error (exit 7) when another instance holds the transactional.id.
     */
    void stopIfFenced(boolean insideTransaction) {
        if (writer.inTransaction()) {
            writer.abortUnlessFenced();
        } else if (!insideTransaction && !policy.pending()) {
            try {
                commit(committed);
            } catch (KafkaWriter.KafkaWriteException unreachable) {
                log.debug(
                        "Kafka did not answer the fencing probe ({}); reporting the server_id collision",
                        unreachable.getMessage());
            }
        }
    }

    /** On stop: commits what is complete; inside a source transaction, drops it (a restart re-reads it whole). */
    void finish(boolean insideTransaction) {
        if (!insideTransaction && policy.pending()) {
            commit(boundary); // snapshot rows can be pending without any new source transaction
        } else {
            writer.abort();
        }
        log.info("Stopped at {}", committed.describe());
    }

    private void commit(BinlogPosition position) {
        long now = clock.getAsLong();
        writer.commit(new Checkpoint(position, chunks.progress()), now);
        stats.recordCommit(position, policy.events(), policy.transactions(), lastSourceCommitMs, now);
        tableCounts.publish(stats);
        log.debug("Committed {} events, {} transactions up to {}", policy.events(), policy.transactions(), position);
        policy.committed(now);
        fileTimes.committed();
        committed = position;
    }
}
