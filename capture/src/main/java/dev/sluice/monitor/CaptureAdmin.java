package dev.sluice.monitor;

import dev.sluice.admin.AdminPages;
import dev.sluice.admin.AdminServer;
import dev.sluice.config.SluiceConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A capture pipeline's admin pages: {@link HealthCheck} for {@code /health}, {@link Metrics} for {@code /metrics},
 * {@link CaptureStatus} for the status page.
 */
public final class CaptureAdmin implements AdminPages {
    /** Retention and the binlog file list change rarely; the stream reports rotations as they happen. */
    private static final Duration RETENTION_REFRESH = Duration.ofSeconds(30);

    private final PipelineStats stats;
    private final String pipeline;
    private final LongSupplier clock;
    private final HealthCheck.Limits limits;
    private final RetentionWatch retention;
    private final Metrics metrics;
    private final CaptureStatus status;

    private CaptureAdmin(SluiceConfig config, PipelineStats stats, LongSupplier clock) {
        this.stats = stats;
        this.pipeline = config.pipeline().name();
        this.clock = clock;
        this.limits = HealthCheck.Limits.from(config);
        this.retention = new RetentionWatch(config.source(), clock, RETENTION_REFRESH);
        this.metrics = new Metrics(stats, pipeline, clock, retention::latest, limits);
        this.status = new CaptureStatus(stats, metrics);
    }

    /** Starts the admin endpoint of a pipeline that publishes into {@code stats} (see {@link AdminServer#start}). */
    public static AdminServer start(SluiceConfig config, PipelineStats stats, LongSupplier clock) {
        CaptureAdmin pages = new CaptureAdmin(config, stats, clock);
        try {
            return AdminServer.start(config.admin(), pages);
        } catch (RuntimeException e) {
            pages.close();
            throw e;
        }
    }

    @Override
    public Health health() {
        HealthCheck.Verdict verdict = HealthCheck.evaluate(stats, limits, clock.getAsLong());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pipeline", pipeline);
        details.put("streaming", stats.isStreaming());
        details.put(
                "committed",
                stats.committed() == null ? null : stats.committed().describe());
        return new Health(verdict.healthy(), verdict.reason(), details);
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "capture");
        body.put("name", pipeline);
        body.putAll(status.status(clock.getAsLong()));
        return body;
    }

    @Override
    public List<Reading> readings() {
        return status.readings(clock.getAsLong());
    }

    @Override
    public void writeMetrics(OutputStream out) throws IOException {
        metrics.write(out);
    }

    @Override
    public String metricsContentType() {
        return Metrics.contentType();
    }

    @Override
    public void close() {
        retention.close();
    }
}
