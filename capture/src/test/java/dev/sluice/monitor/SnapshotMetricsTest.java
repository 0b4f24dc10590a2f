package dev.sluice.monitor;

import static dev.sluice.config.ConfigKeys.KAFKA_BOOTSTRAP_SERVERS;
import static dev.sluice.config.ConfigKeys.SOURCE_USER;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigValues;
import dev.sluice.config.SluiceConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Table copies appear in /metrics, one series per table: progress while running, final figures once done. */
class SnapshotMetricsTest {
    @Test
    void copiesAreExposedPerTable() throws Exception {
        PipelineStats stats = new PipelineStats();
        stats.recordSnapshot(
                "shop.orders", new PipelineStats.SnapshotStatus(120_000, 500_000, 12, 40_000.5, 10, false));
        stats.recordSnapshot("shop.items", new PipelineStats.SnapshotStatus(300, 280, 1, 3_000, 0, true));
        HealthCheck.Limits limits = HealthCheck.Limits.from(
                SluiceConfig.from(ConfigValues.of(Map.of(SOURCE_USER, "u", KAFKA_BOOTSTRAP_SERVERS, "k:9092"))));
        Metrics metrics = new Metrics(stats, "p1", () -> 1_000, () -> null, limits);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        String text = out.toString(StandardCharsets.UTF_8);
        for (String line : new String[] {
            "sluice_snapshot_rows_copied{pipeline=\"p1\",table=\"shop.orders\"} 120000.0",
            "sluice_snapshot_rows_estimated{pipeline=\"p1\",table=\"shop.orders\"} 500000.0",
            "sluice_snapshot_chunks{pipeline=\"p1\",table=\"shop.orders\"} 12.0",
            "sluice_snapshot_rows_per_second{pipeline=\"p1\",table=\"shop.orders\"} 40000.5",
            "sluice_snapshot_eta_seconds{pipeline=\"p1\",table=\"shop.orders\"} 10.0",
            "sluice_snapshot_running{pipeline=\"p1\",table=\"shop.orders\"} 1.0",
            "sluice_snapshot_running{pipeline=\"p1\",table=\"shop.items\"} 0.0"
        }) {
            assertTrue(text.contains(line), "missing " + line + " in\n" + text);
        }
    }
}
