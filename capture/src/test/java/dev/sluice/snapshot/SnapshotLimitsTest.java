package dev.sluice.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.config.ConfigKeys.SnapshotMode;
import dev.sluice.config.SluiceConfig;
import dev.sluice.table.Throttle;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The copy is throttled by the snapshot.* settings, each bound taken from its own key (ThrottleTest: the decisions). */
class SnapshotLimitsTest {
    @Test
    void limitsComeFromTheSnapshotSettings() {
        SluiceConfig.Snapshot config = new SluiceConfig.Snapshot(
                SnapshotMode.INITIAL, 500, 2, 1_000, Duration.ofSeconds(30), Duration.ofSeconds(60));
        assertEquals(
                new Throttle.Limits("snapshot", 1_000, Duration.ofSeconds(30), Duration.ofSeconds(60)),
                Snapshotter.limits(config));
    }
}
