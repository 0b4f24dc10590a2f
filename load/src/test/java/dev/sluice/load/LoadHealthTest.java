package dev.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LoadHealthTest {
    private static final long STALL = 60_000;
    private final LoadStats stats = new LoadStats();

    @Test
    void healthyOnlyWhileEveryWorkerRunsAndBatchesKeepComing() {
        stats.started(1_000);
        stats.workerStarted();
        assertFalse(LoadHealth.evaluate(stats, 2, STALL, 2_000).healthy(), "one of two workers");
        stats.workerStarted();
        assertTrue(LoadHealth.evaluate(stats, 2, STALL, 2_000).healthy(), "nothing waiting");

        stats.lag(new TopicPartition("t", 0), 500);
        assertTrue(LoadHealth.evaluate(stats, 2, STALL, 1_000 + STALL).healthy(), "within the stall limit");
        LoadHealth.Verdict stalled = LoadHealth.evaluate(stats, 2, STALL, 1_001 + STALL);
        assertFalse(stalled.healthy());
        assertTrue(stalled.reason().contains("500 records waiting"), stalled.reason());

        stats.applied(new Batch(java.util.Map.of(), java.util.List.of(), 10, 100), 1, 1_000 + STALL);
        assertTrue(LoadHealth.evaluate(stats, 2, STALL, 1_001 + STALL).healthy(), "a batch was just applied");
        assertEquals(60_000, LoadHealth.stallMs(java.time.Duration.ofSeconds(1)));
        assertEquals(90_000, LoadHealth.stallMs(java.time.Duration.ofSeconds(30)));
    }
}
