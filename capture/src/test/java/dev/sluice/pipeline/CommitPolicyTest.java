package dev.sluice.pipeline;

import static dev.sluice.config.ConfigKeys.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.config.ConfigValues;
import dev.sluice.config.SluiceConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When the stream commits (docs/commit-timing.md), on an injected clock: each rule can make a commit due alone,
 * nothing is committed with nothing pending except the idle keep-alive, and an oversized source transaction is split
 * at every pipeline.max-transaction-events row changes.
 */
class CommitPolicyTest {
    /** Interval 100 ms, at most 50 events, keep-alive every 2 s; min interval and split bound per test. */
    private static CommitPolicy policy(int minIntervalMs, long maxTransactionEvents, long startMs) {
        Map<dev.sluice.config.ConfigKey<?>, Object> values = new HashMap<>(Map.of(
                SOURCE_USER,
                "u",
                KAFKA_BOOTSTRAP_SERVERS,
                "k:9092",
                SOURCE_HEARTBEAT_SECONDS,
                2,
                PIPELINE_COMMIT_INTERVAL_MS,
                100,
                PIPELINE_COMMIT_MIN_INTERVAL_MS,
                minIntervalMs,
                PIPELINE_COMMIT_MAX_EVENTS,
                50,
                PIPELINE_MAX_TRANSACTION_EVENTS,
                maxTransactionEvents));
        SluiceConfig config = SluiceConfig.from(ConfigValues.of(values));
        return new CommitPolicy(config.pipeline(), config.source().heartbeat(), startMs);
    }

    private final CommitPolicy policy = policy(0, 1_000, 0);

    @Test
    void nothingPendingIsNeverDueAtABoundary() {
        assertFalse(policy.pending());
        assertFalse(policy.dueAtBoundary(true, 10_000), "caught up and old, but nothing to commit");
    }

    @Test
    void aSourceTransactionWithoutCapturedRowsStillMovesThePosition() {
        policy.transactionEnded(1_000);
        assertTrue(policy.pending());
        assertTrue(policy.dueAtBoundary(true, 1_000));
        assertEquals(0, policy.events());
        assertEquals(1, policy.transactions());
    }

    @Test
    void aBatchIsDueOnceCommitIntervalOldWhileABacklogIsRead() {
        policy.sent(3, 1_000);
        policy.sent(3, 1_050); // the batch's age counts from its first record
        policy.transactionEnded(1_060);
        assertFalse(policy.dueAtBoundary(false, 1_099));
        assertTrue(policy.dueAtBoundary(false, 1_100));
    }

    @Test
    void aBatchIsDueOnceFullWhateverItsAge() {
        policy.sent(49, 1_000);
        assertFalse(policy.dueAtBoundary(false, 1_001));
        policy.sent(1, 1_001);
        assertTrue(policy.dueAtBoundary(false, 1_001));
    }

    @Test
    void caughtUpCommitsAtOnceWithoutAMinimumInterval() {
        policy.sent(1, 1_000);
        assertFalse(policy.dueAtBoundary(false, 1_000), "a backlog waits for size or age");
        assertTrue(policy.dueAtBoundary(true, 1_000), "caught up: commit now");
    }

    @Test
    void caughtUpWaitsForCommitMinIntervalSinceTheLastCommit() {
        CommitPolicy spaced = policy(20, 1_000, 0);
        spaced.sent(1, 1_000);
        spaced.committed(1_000);
        spaced.sent(1, 1_005);
        assertFalse(spaced.dueAtBoundary(true, 1_019));
        assertTrue(spaced.dueAtBoundary(true, 1_020));
    }

    @Test
    void aCommitStartsANewBatch() {
        policy.sent(50, 1_000);
        policy.transactionEnded(1_000);
        policy.committed(1_010);
        assertFalse(policy.pending());
        assertEquals(0, policy.events());
        assertEquals(0, policy.transactions());
        policy.sent(1, 1_500);
        assertFalse(policy.dueAtBoundary(false, 1_599), "the new batch's age counts from 1,500, not 1,000");
        assertTrue(policy.dueAtBoundary(false, 1_600));
    }

    @Test
    void idleKeepAliveCommitsEveryHeartbeatWithNothingPending() {
        assertFalse(policy.keepAliveDue(1_999));
        assertTrue(policy.keepAliveDue(2_000));
        policy.committed(2_000);
        assertFalse(policy.keepAliveDue(3_999));
        assertTrue(policy.keepAliveDue(4_000));
        policy.sent(1, 4_000);
        assertFalse(policy.keepAliveDue(9_000), "pending data is committed by the boundary rules, not as a keep-alive");
    }

    @Test
    void aTransactionLargerThanMaxTransactionEventsIsSplitAtEveryMultiple() {
        CommitPolicy splitting = policy(0, 10, 0);
        for (long n = 1; n <= 35; n++) {
            assertEquals(n % 10 == 0, splitting.splitsTransactionAfter(n), "after " + n + " row changes");
        }
    }

    @Test
    void snapshotChunksFillABatchUpToCommitMaxEvents() {
        assertTrue(policy.hasRoomForChunk());
        policy.sent(49, 1_000);
        assertTrue(policy.hasRoomForChunk());
        policy.sent(1, 1_000);
        assertFalse(policy.hasRoomForChunk());
    }

    @Test
    void anEmptyChunkStartsTheBatchClockWithoutMakingAnythingPending() {
        policy.sent(0, 1_000);
        assertFalse(policy.pending());
        assertEquals(90, policy.pollTimeoutMs(true, false, 1_010));
    }

    @Test
    void pollTimeoutWakesTheStreamWhenTheNextCommitCanBeDue() {
        CommitPolicy spaced = policy(20, 1_000, 1_000);
        assertEquals(200, spaced.pollTimeoutMs(false, false, 1_000), "no batch: only the idle checks");
        assertEquals(2, spaced.pollTimeoutMs(false, true, 1_000), "a copy is running: take its chunks promptly");
        spaced.sent(1, 1_010);
        assertEquals(100, spaced.pollTimeoutMs(true, false, 1_010), "inside a transaction: the interval only");
        assertEquals(10, spaced.pollTimeoutMs(false, false, 1_010), "between: as soon as the min interval allows");
        assertEquals(1, spaced.pollTimeoutMs(false, false, 5_000), "overdue: at least 1 ms");
    }
}
