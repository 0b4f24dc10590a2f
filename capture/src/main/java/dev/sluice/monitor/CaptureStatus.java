package dev.sluice.monitor;

import dev.sluice.admin.AdminPages.Reading;
import dev.sluice.monitor.PipelineStats.SnapshotStatus;
import dev.sluice.monitor.PipelineStats.TableActivity;
import dev.sluice.position.BinlogPosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * A capture pipeline's part of {@code /status.json}: the source, the capture's progress and each captured table,
 * read from {@link PipelineStats} and the same estimates {@link Metrics} exports. Field names are documented in
 * docs/operations.md.
 */
final class CaptureStatus {
    private final PipelineStats stats;
    private final Metrics metrics;

    CaptureStatus(PipelineStats stats, Metrics metrics) {
        this.stats = stats;
        this.metrics = metrics;
    }

    Map<String, Object> status(long nowMs) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("source", source());
        status.put("capture", capture(nowMs));
        status.put("tables", tables());
        return status;
    }

    List<Reading> readings(long nowMs) {
        long lag = stats.lagSeconds(nowMs);
        return List.of(
                new Reading("events", stats.eventsCommitted(), true),
                new Reading("lag_seconds", lag < 0 ? Double.NaN : lag, false),
                new Reading("kafka_commits", stats.kafkaCommits(), true));
    }

    private Map<String, Object> source() {
        Map<String, Object> source = new LinkedHashMap<>();
        PipelineStats.SourceServer server = stats.server();
        source.put("address", server == null ? null : server.address());
        source.put("flavor", server == null ? null : server.flavor());
        source.put("version", server == null ? null : server.version());
        BinlogPosition committed = stats.committed();
        source.put("binlog_file", committed == null ? null : committed.file());
        source.put("binlog_offset", committed == null ? null : committed.offset());
        source.put("gtid", committed == null ? null : committed.gtids().toString());
        OptionalDouble retention = metrics.retentionSeconds();
        source.put("retention_seconds", finiteOrZero(retention));
        source.put("seconds_until_purge", finiteOrNull(metrics.secondsUntilPurge()));
        return source;
    }

    private Map<String, Object> capture(long nowMs) {
        Map<String, Object> capture = new LinkedHashMap<>();
        capture.put("state", stats.isStreaming() ? "streaming" : "not streaming");
        capture.put("events_committed", stats.eventsCommitted());
        capture.put("transactions_committed", stats.transactionsCommitted());
        capture.put("kafka_commits", stats.kafkaCommits());
        long lastCommit = stats.lastCommitAtMs();
        capture.put("last_commit_age_seconds", lastCommit == 0 ? null : Math.max(0, nowMs - lastCommit) / 1000.0);
        long lag = stats.lagSeconds(nowMs);
        capture.put("lag_seconds", lag < 0 ? null : lag);
        capture.put("reconnects", stats.reconnects());
        return capture;
    }

    /** Every table that has changed or is being copied, by name. */
    private List<Map<String, Object>> tables() {
        Map<String, TableActivity> activity = stats.tableActivity();
        Map<String, SnapshotStatus> snapshots = stats.snapshots();
        TreeSet<String> names = new TreeSet<>(activity.keySet());
        names.addAll(snapshots.keySet());
        List<Map<String, Object>> tables = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> table = new LinkedHashMap<>();
            TableActivity a = activity.get(name);
            table.put("table", name);
            table.put("events", a == null ? 0 : a.events());
            table.put("last_change", a == null ? null : a.lastChangeMs());
            SnapshotStatus s = snapshots.get(name);
            table.put("snapshot", s == null ? null : snapshot(s));
            tables.add(table);
        }
        return tables;
    }

    private static Map<String, Object> snapshot(SnapshotStatus s) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("rows_copied", s.rowsCopied());
        snapshot.put("estimated_rows", s.estimatedRows());
        snapshot.put("fraction", s.fraction());
        snapshot.put("rows_per_second", s.rowsPerSecond());
        snapshot.put("eta_seconds", s.etaSeconds() < 0 ? null : s.etaSeconds());
        snapshot.put("finished", s.finished());
        return snapshot;
    }

    /** Retention: 0 means the source never purges by age (JSON has no infinity). */
    private static Object finiteOrZero(OptionalDouble v) {
        if (v.isEmpty()) {
            return null;
        }
        return Double.isInfinite(v.getAsDouble()) ? 0 : v.getAsDouble();
    }

    private static Object finiteOrNull(OptionalDouble v) {
        return v.isEmpty() || Double.isInfinite(v.getAsDouble()) ? null : v.getAsDouble();
    }
}
