package dev.sluice.monitor;

import dev.sluice.source.BinlogRetention;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Prometheus metrics, each read from {@link PipelineStats} (or the last {@link RetentionWatch} answer) at scrape
 * time: nothing is counted twice and the pipeline thread does no extra work per scrape. Every series carries the
 * label {@code pipeline} (pipeline.name). A value that is not known yet is left out rather than made up.
 * Meanings and units: docs/operations.md.
 */
final class Metrics {
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PipelineStats stats;
    private final String pipeline;
    private final LongSupplier clock;
    private final Supplier<BinlogRetention> retention;
    private final HealthCheck.Limits limits;

    Metrics(
            PipelineStats stats,
            String pipeline,
            LongSupplier clock,
            Supplier<BinlogRetention> retention,
            HealthCheck.Limits limits) {
        this.stats = stats;
        this.pipeline = pipeline;
        this.clock = clock;
        this.retention = retention;
        this.limits = limits;
        registerCounters();
        registerGauges();
        registerSnapshotGauges();
    }

    static String contentType() {
        return TEXT.getContentType();
    }

    void write(OutputStream out) throws IOException {
        TEXT.write(out, registry.scrape());
    }

    private void registerCounters() {
        counter(
                "sluice_events_committed",
                "Change events (row changes and schema changes) committed to Kafka.",
                stats::eventsCommitted);
        counter(
                "sluice_source_transactions_committed",
                "Source transactions whose position was committed to "
                        + "Kafka, including transactions that touched no captured table.",
                stats::transactionsCommitted);
        counter(
                "sluice_kafka_commits",
                "Kafka transactions committed, including idle keep-alive commits.",
                stats::kafkaCommits);
        counter("sluice_reconnects", "Times the pipeline lost the source or Kafka and reconnected.", stats::reconnects);
    }

    private void registerGauges() {
        gauge(
                "sluice_streaming",
                "1 while connected to the binlog and Kafka and streaming, else 0.",
                () -> OptionalDouble.of(stats.isStreaming() ? 1 : 0));
        gauge(
                "sluice_healthy",
                "1 when /health answers 200, else 0.",
                () -> OptionalDouble.of(
                        HealthCheck.evaluate(stats, limits, clock.getAsLong()).healthy() ? 1 : 0));
        gauge(
                "sluice_binlog_lag_seconds",
                "Seconds between now and the source commit time of the newest "
                        + "transaction committed to Kafka; 0 while caught up (idle with nothing uncommitted).",
                this::lagSeconds);
        gauge(
                "sluice_last_commit_age_seconds",
                "Seconds since the last Kafka commit (data or keep-alive).",
                () -> ageSeconds(stats.lastCommitAtMs()));
        gauge(
                "sluice_binlog_retention_seconds",
                "The source's binlog retention (binlog_expire_logs_seconds or "
                        + "expire_logs_days); +Inf when it never purges by age.",
                this::retentionSeconds);
        gauge(
                "sluice_binlog_seconds_until_purge",
                "Lower bound of the seconds until the source may purge the "
                        + "binlog file holding the committed position (a restart after that cannot resume); +Inf when "
                        + "the source never purges by age.",
                this::secondsUntilPurge);
    }

    /**
     * One series per table copy this process ran or resumed, labelled with the table: progress of a running copy,
     * and the final figures of finished ones (so a scrape after a fast copy still sees it).
     */
    private void registerSnapshotGauges() {
        snapshotGauge("sluice_snapshot_rows_copied", "Rows of the table published by its current or last copy.", s ->
                (double) s.rowsCopied());
        snapshotGauge(
                "sluice_snapshot_rows_estimated",
                "The server's row estimate for the table when its copy "
                        + "started (information_schema.TABLES.TABLE_ROWS; an estimate, not a count).",
                s -> s.estimatedRows() < 0 ? Double.NaN : (double) s.estimatedRows());
        snapshotGauge("sluice_snapshot_chunks", "Chunks of the table published.", s -> (double) s.chunks());
        snapshotGauge(
                "sluice_snapshot_rows_per_second",
                "Copy rate since this process started the copy.",
                PipelineStats.SnapshotStatus::rowsPerSecond);
        snapshotGauge(
                "sluice_snapshot_eta_seconds",
                "Seconds until the copy is done at its current rate (NaN " + "when unknown, 0 when done).",
                s -> s.etaSeconds() < 0 ? Double.NaN : (double) s.etaSeconds());
        snapshotGauge(
                "sluice_snapshot_running",
                "1 while the table is being copied, 0 once its copy finished.",
                s -> s.finished() ? 0.0 : 1.0);
    }

    private void snapshotGauge(
            String name, String help, java.util.function.ToDoubleFunction<PipelineStats.SnapshotStatus> value) {
        registry.register(GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("pipeline", "table")
                .callback(cb -> stats.snapshots()
                        .forEach((table, status) -> cb.call(value.applyAsDouble(status), pipeline, table)))
                .build());
    }

    private OptionalDouble lagSeconds() {
        return ageSeconds(stats.lagReferenceMs());
    }

    private OptionalDouble ageSeconds(long sinceMs) {
        if (sinceMs <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.max(0, clock.getAsLong() - sinceMs) / 1000.0);
    }

    OptionalDouble retentionSeconds() {
        BinlogRetention r = retention.get();
        if (r == null) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(r.neverExpires() ? Double.POSITIVE_INFINITY : r.expireSeconds());
    }

    OptionalDouble secondsUntilPurge() {
        BinlogRetention r = retention.get();
        return r == null
                ? OptionalDouble.empty()
                : PurgeEstimate.secondsUntilPurge(stats.positionFile(), r, clock.getAsLong());
    }

    private void counter(String name, String help, LongSupplier value) {
        registry.register(CounterWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("pipeline")
                .callback(cb -> cb.call(value.getAsLong(), pipeline))
                .build());
    }

    private void gauge(String name, String help, Supplier<OptionalDouble> value) {
        registry.register(GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("pipeline")
                .callback(cb -> value.get().ifPresent(v -> cb.call(v, pipeline)))
                .build());
    }
}
