package dev.sluice.monitor;

import static dev.sluice.config.ConfigKeys.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.config.ConfigValues;
import dev.sluice.config.SluiceConfig;
import dev.sluice.monitor.HealthCheck.Limits;
import dev.sluice.monitor.HealthCheck.Verdict;
import dev.sluice.position.BinlogPosition;
import dev.sluice.position.Flavor;
import dev.sluice.position.GtidSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The /health decision on an injected clock: each of its three conditions can fail it alone. */
class HealthCheckTest {
    private static final BinlogPosition AT =
            BinlogPosition.atBoundary(GtidSet.parse(Flavor.MARIADB, "0-1-5"), "mysql-bin.000001", 400);
    /** heartbeat 2 s, commit interval 100 ms: stall bound 6 s, commit bound 6.1 s. */
    private final Limits limits = Limits.from(SluiceConfig.from(ConfigValues.of(Map.of(
            SOURCE_USER,
            "u",
            KAFKA_BOOTSTRAP_SERVERS,
            "k:9092",
            SOURCE_HEARTBEAT_SECONDS,
            2,
            PIPELINE_COMMIT_INTERVAL_MS,
            100))));

    private final PipelineStats stats = new PipelineStats();

    @Test
    void boundsComeFromHeartbeatAndCommitInterval() {
        assertEquals(new Limits(6_000, 6_100), limits);
    }

    @Test
    void notStreamingIsUnhealthy() {
        assertUnhealthy(1_000, "not streaming");
        stats.recordStreaming(true, 1_000);
        assertHealthy(1_000);
        stats.recordStreaming(false, 2_000);
        assertUnhealthy(2_000, "not streaming");
    }

    @Test
    void freshStreamHasGraceUntilItsFirstCommit() {
        stats.recordCommit(AT, 10, 1, 500, 1_000); // from before a reconnect
        stats.recordStreaming(true, 50_000);
        stats.recordSourceActivity(55_000);
        assertHealthy(56_100);
        assertUnhealthy(56_101, "no Kafka commit for 6101 ms");
    }

    @Test
    void silentBinlogLinkIsUnhealthyEvenWithRecentCommits() {
        stats.recordStreaming(true, 0);
        stats.recordSourceActivity(1_000);
        stats.recordCommit(AT, 0, 0, 0, 6_500);
        assertHealthy(7_000);
        assertUnhealthy(7_001, "no binlog event or heartbeat for 6001 ms");
        stats.recordSourceActivity(7_001);
        assertHealthy(7_001);
    }

    @Test
    void streamingWithoutCommitsIsUnhealthy() {
        stats.recordStreaming(true, 0);
        stats.recordCommit(AT, 5, 1, 0, 1_000);
        for (long t = 1_000; t <= 10_000; t += 1_000) {
            stats.recordSourceActivity(t); // events and heartbeats keep arriving; Kafka does not commit
        }
        assertHealthy(7_100);
        assertUnhealthy(7_101, "no Kafka commit");
        stats.recordCommit(AT, 5, 1, 0, 10_000);
        assertHealthy(10_000);
    }

    @Test
    void idlePipelineStaysHealthyOnKeepAliveCommits() {
        stats.recordStreaming(true, 0);
        for (long t = 2_000; t <= 60_000; t += 2_000) { // a heartbeat and a keep-alive commit every 2 s
            stats.recordSourceActivity(t);
            stats.recordCommit(AT, 0, 0, 0, t);
            assertHealthy(t + 1_999);
        }
    }

    private void assertHealthy(long nowMs) {
        Verdict v = HealthCheck.evaluate(stats, limits, nowMs);
        assertTrue(v.healthy(), "at " + nowMs + ": " + v.reason());
    }

    private void assertUnhealthy(long nowMs, String reason) {
        Verdict v = HealthCheck.evaluate(stats, limits, nowMs);
        assertFalse(v.healthy(), "at " + nowMs);
        assertTrue(v.reason().contains(reason), v.reason());
    }
}
