package dev.sluice.load;

import dev.sluice.admin.AdminPages;
import dev.sluice.admin.AdminServer;
import dev.sluice.config.LoadConfig;
import dev.sluice.kafka.TopicNames;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * A loader's admin pages: {@link LoadHealth} for {@code /health}, and its metrics, each read from {@link LoadStats}
 * at scrape time and labelled {@code loader} (load.name); per-table series add {@code table}. Meanings and units:
 * docs/load.md.
 */
public final class LoadAdmin implements AdminPages {
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final LoadStats stats;
    private final String loader;
    private final int workers;
    private final long stallMs;
    private final LongSupplier clock;
    private final LoadStatus status;

    private LoadAdmin(LoadConfig config, LoadStats stats, LongSupplier clock) {
        this.stats = stats;
        this.loader = config.load().name();
        this.workers = config.load().workers();
        this.stallMs = LoadHealth.stallMs(config.load().batchTime());
        this.clock = clock;
        this.status = new LoadStatus(
                stats, loader, workers, new TopicNames(config.kafka().topicPrefix()));
        registerCounters();
        registerGauges();
    }

    /** Starts the loader's admin endpoint (see {@link AdminServer#start}). */
    public static AdminServer start(LoadConfig config, LoadStats stats, LongSupplier clock) {
        return AdminServer.start(config.admin(), new LoadAdmin(config, stats, clock));
    }

    @Override
    public Health health() {
        LoadHealth.Verdict verdict = LoadHealth.evaluate(stats, workers, stallMs, clock.getAsLong());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("loader", loader);
        details.put("workers", stats.workersRunning());
        details.put("lag_records", stats.totalLag());
        return new Health(verdict.healthy(), verdict.reason(), details);
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "load");
        body.put("name", loader);
        body.put("loader", status.loader(clock.getAsLong()));
        return body;
    }

    @Override
    public List<Reading> readings() {
        return status.readings();
    }

    @Override
    public void writeMetrics(OutputStream out) throws IOException {
        TEXT.write(out, registry.scrape());
    }

    @Override
    public String metricsContentType() {
        return TEXT.getContentType();
    }

    private void registerCounters() {
        counter("sluice_load_events", "Change events loaded (committed to the target).", stats::events);
        counter("sluice_load_rows", "Rows written or deleted in the target, one per key per batch.", stats::rows);
        counter("sluice_load_batches", "Batches committed to the target.", stats::batches);
        counter(
                "sluice_load_conflicts",
                "Batches dropped because another loader had moved one of their offsets first.",
                stats::conflicts);
        registry.register(CounterWithCallback.builder()
                .name("sluice_load_apply_seconds")
                .help("Time spent applying batches to the target (staging, merge, commit).")
                .labelNames("loader")
                .callback(cb -> cb.call(stats.applySeconds(), loader))
                .build());
        registry.register(CounterWithCallback.builder()
                .name("sluice_load_table_events")
                .help("Change events loaded, per table.")
                .labelNames("loader", "table")
                .callback(cb -> stats.tables().forEach((t, s) -> cb.call(s.events(), loader, t)))
                .build());
        registry.register(CounterWithCallback.builder()
                .name("sluice_load_values_nulled")
                .help("Values the target cannot hold, loaded as NULL (load.unrepresentable-values: null), per table "
                        + "and column.")
                .labelNames("loader", "table", "column")
                .callback(cb -> stats.valuesNulled().forEach((c, n) -> cb.call(n, loader, c.table(), c.column())))
                .build());
    }

    private void registerGauges() {
        gauge("sluice_load_workers_running", "Workers running in this process.", stats::workersRunning);
        gauge("sluice_load_healthy", "1 when /health answers 200, else 0.", () -> health().healthy() ? 1 : 0);
        registry.register(GaugeWithCallback.builder()
                .name("sluice_load_lag_records")
                .help("Records of the topic not loaded yet, over the partitions this process owns.")
                .labelNames("loader", "topic")
                .callback(cb -> stats.lagByTopic().forEach((topic, n) -> cb.call(n, loader, topic)))
                .build());
        registry.register(GaugeWithCallback.builder()
                .name("sluice_load_lag_seconds")
                .help("Seconds between now and the source commit time of the newest change loaded, per table "
                        + "(binlog timestamps have one-second resolution).")
                .labelNames("loader", "table")
                .callback(cb -> stats.tables().forEach((t, s) -> {
                    if (s.lastSourceTimeMs() > 0) {
                        cb.call(Math.max(0, clock.getAsLong() - s.lastSourceTimeMs()) / 1000.0, loader, t);
                    }
                }))
                .build());
    }

    private void counter(String name, String help, LongSupplier value) {
        registry.register(CounterWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("loader")
                .callback(cb -> cb.call(value.getAsLong(), loader))
                .build());
    }

    private void gauge(String name, String help, DoubleSupplier value) {
        registry.register(GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("loader")
                .callback(cb -> cb.call(value.getAsDouble(), loader))
                .build());
    }
}
