package dev.sluice.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKeys;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The throttle's decisions on an injected clock and lag: the rate budget and the two pause conditions, whose reasons
 * name the declared keys of the limits' section.
 */
class ThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicLong streamLag = new AtomicLong();

    private Throttle throttle(int rowsPerSecond, int maxLagSeconds, int maxReplicaLagSeconds) {
        return new Throttle(
                new Throttle.Limits(
                        "snapshot",
                        rowsPerSecond,
                        Duration.ofSeconds(maxLagSeconds),
                        Duration.ofSeconds(maxReplicaLagSeconds)),
                streamLag::get,
                now::get);
    }

    @Test
    void readersShareOneRateBudget() {
        Throttle t = throttle(1_000, 0, 0);
        assertEquals(0, t.reserve(500));
        assertEquals(500, t.reserve(500), "the second reader waits for the first one's half second");
        assertEquals(1_000, t.reserve(500));
        now.addAndGet(1_500);
        assertEquals(0, t.reserve(500), "budget back after the time passed");
    }

    @Test
    void noRateBoundMeansNoWait() {
        Throttle t = throttle(0, 0, 0);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, t.reserve(1_000_000));
        }
    }

    @Test
    void pausesWhileTheStreamOrTheReplicaLags() {
        Throttle t = throttle(0, 30, 60);
        streamLag.set(30);
        assertTrue(t.pauseReason(60).isEmpty(), "at the bounds: go on");
        streamLag.set(31);
        assertTrue(t.pauseReason(0).orElseThrow().contains("snapshot.max-lag-seconds 30"));
        assertTrue(t.pauseReason(0).orElseThrow().contains(ConfigKeys.SNAPSHOT_MAX_LAG_SECONDS.name() + " "));
        streamLag.set(0);
        assertTrue(t.pauseReason(61).orElseThrow().contains("snapshot.max-replica-lag-seconds 60"));
        assertTrue(t.pauseReason(61).orElseThrow().contains(ConfigKeys.SNAPSHOT_MAX_REPLICA_LAG_SECONDS.name() + " "));
        streamLag.set(10_000);
        assertTrue(throttle(0, 0, 0).pauseReason(10_000).isEmpty(), "0 turns both checks off");
    }
}
