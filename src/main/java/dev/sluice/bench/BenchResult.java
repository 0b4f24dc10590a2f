package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.bench.CommitWatch.Commit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One pipeline benchmark run: the manifest, the raw measurements, the figures derived from them, and the check.
 * Rates count row changes ("events"); MiB are 2^20 bytes; Kafka payload is key plus value bytes of the table topic.
 */
public record BenchResult(ObjectNode manifest, PipelineBench.Options options, Backlog.Result backlog,
                          DrainMeasurement drain, RowChecksum source, DrainVerifier.Seen kafka,
                          LatencyResult latency) {
    public static final double TARGET_EVENTS_PER_SECOND = 100_000;
    public static final long TARGET_HEAP_BYTES = 512L << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final double MIB = 1 << 20;

    /** This result with the open-loop latency run's. */
    BenchResult withLatency(LatencyResult latencyResult) {
        return new BenchResult(manifest, options, backlog, drain, source, kafka, latencyResult);
    }

    public long events() {
        return backlog.events();
    }

    public double eventsPerSecond() {
        return events() / drain.seconds();
    }

    public double mibPerSecond() {
        return kafka.payloadBytes() / MIB / drain.seconds();
    }

    /**
     * Rate between the first and the last commit (pipeline clock): the backlog events the last commit covers beyond
     * the first, over the time between them. Leaves out JVM start-up and the first batch. NaN with one commit.
     */
    public double steadyEventsPerSecond() {
        Commit first = drain.commits().get(0);
        long events = backlog.eventsCoveredBy(drain.last().sequence()) - backlog.eventsCoveredBy(first.sequence());
        double seconds = drain.firstToLastCommitSeconds();
        return seconds > 0 ? events / seconds : Double.NaN;
    }

    /**
     * Rate over the second half of the backlog (from the first commit covering half of it to the last commit): the
     * pipeline with its code compiled by the JIT, which a short run otherwise hides. NaN if no commit splits it.
     */
    public double secondHalfEventsPerSecond() {
        Commit last = drain.last();
        for (Commit c : drain.commits()) {
            long covered = backlog.eventsCoveredBy(c.sequence());
            if (covered >= events() / 2 && c.committedAtMs() < last.committedAtMs()) {
                return (events() - covered) / ((last.committedAtMs() - c.committedAtMs()) / 1000.0);
            }
        }
        return Double.NaN;
    }

    public double cpuPerMillion(double cpuSeconds) {
        return cpuSeconds * 1e6 / events();
    }

    public boolean checkOk() {
        return kafka.checksum().equals(source) && source.count() == events() && kafka.distinctIds() == events()
                && kafka.otherOps() == 0 && kafka.wrongTypes() == 0;
    }

    /** The target: the rate, reached with the pipeline JVM limited to a heap (-Xmx) of at most 512 MB. */
    public boolean targetMet() {
        return eventsPerSecond() >= TARGET_EVENTS_PER_SECOND && options.heapBytes() <= TARGET_HEAP_BYTES;
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "pipeline");
        root.set("manifest", manifest);
        root.set("backlog", backlogJson());
        root.set("drain", drainJson());
        root.set("processes", processesJson());
        root.set("check", checkJson());
        ObjectNode target = root.putObject("target");
        target.put("events_per_second", TARGET_EVENTS_PER_SECOND);
        target.put("heap_bytes", TARGET_HEAP_BYTES);
        target.put("met", targetMet());
        if (latency != null) {
            root.set("latency", latency.toJson());
        }
        return root;
    }

    /** Writes the JSON through a temporary file, so a reader never sees half a result. */
    public void writeJson(Path file) {
        writeJson(file, toJson());
    }

    /** Writes any bench's JSON through a temporary file, so a reader never sees half a result. */
    public static void writeJson(Path file, ObjectNode json) {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            Files.createDirectories(abs.getParent());
            JSON.writeValue(tmp.toFile(), json);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + abs, e);
        }
    }

    private ObjectNode backlogJson() {
        ObjectNode b = JSON.createObjectNode();
        b.put("events", backlog.events());
        b.put("single_row_transactions", backlog.singleRowTransactions());
        b.put("big_transactions", backlog.bigTransactions());
        b.put("gtid_before", backlog.gtidBefore());
        b.put("gtid_after", backlog.gtidAfter());
        b.put("generate_seconds", backlog.seconds());
        b.put("binlog_bytes", backlog.binlogBytes());
        return b;
    }

    private ObjectNode drainJson() {
        ObjectNode d = JSON.createObjectNode();
        d.put("seconds", drain.seconds());
        d.put("events_per_second", eventsPerSecond());
        d.put("kafka_key_bytes", kafka.keyBytes());
        d.put("kafka_value_bytes", kafka.valueBytes());
        d.put("kafka_mib_per_second", mibPerSecond());
        d.put("binlog_mib_per_second", backlog.binlogBytes() / MIB / drain.seconds());
        d.put("seconds_to_first_commit", drain.secondsToFirstCommit());
        d.put("first_to_last_commit_seconds", drain.firstToLastCommitSeconds());
        d.put("steady_events_per_second", steadyEventsPerSecond());
        d.put("second_half_events_per_second", secondHalfEventsPerSecond());
        d.put("kafka_commits", drain.commits().size());
        d.put("timeline_columns",
                "seen_ms, committed_ms (both since the pipeline JVM started), backlog events covered");
        ArrayNode timeline = d.putArray("timeline");
        for (Commit c : drain.commits()) {
            timeline.addArray().add(c.seenAtMs() - drain.startedAtMs()).add(c.committedAtMs() - drain.startedAtMs())
                    .add(backlog.eventsCoveredBy(c.sequence()));
        }
        return d;
    }

    private ObjectNode processesJson() {
        ObjectNode p = JSON.createObjectNode();
        ObjectNode sluice = process(drain.sluice().cpuSeconds(), drain.sluice());
        sluice.put("cpu_note", "whole process life up to the drain, JVM start-up included");
        ObjectNode threads = sluice.putObject("cpu_seconds_by_thread");
        drain.sluiceThreadCpuSeconds().forEach(threads::put);
        GcLog gc = drain.gc();
        sluice.put("gc", gc.collector());
        sluice.put("gc_pauses", gc.pauses());
        sluice.put("gc_pause_ms_total", gc.pauseMs());
        sluice.put("peak_heap_used_bytes", gc.peakUsedBytes());
        sluice.put("peak_heap_after_gc_bytes", gc.peakAfterGcBytes());
        sluice.put("peak_heap_committed_bytes", gc.peakCommittedBytes());
        sluice.put("exit_code_after_sigterm", drain.exitCode());
        p.set("sluice", sluice);
        ObjectNode broker = process(drain.brokerCpuSeconds(), drain.broker());
        ObjectNode brokerThreads = broker.putObject("cpu_seconds_by_thread_during_drain");
        drain.brokerThreadCpuSeconds().forEach(brokerThreads::put);
        p.set("broker", broker);
        p.set("mariadbd", process(drain.mariadbCpuSeconds(), drain.mariadb()));
        ObjectNode harness = p.putObject("harness");
        harness.put("cpu_seconds", drain.harnessCpuSeconds());
        harness.put("cpu_note", "this JVM during the drain: it only watches the position topic then");
        return p;
    }

    private ObjectNode process(double cpuSeconds, ProcessStats.Sample sample) {
        ObjectNode n = JSON.createObjectNode();
        n.put("cpu_seconds", cpuSeconds);
        n.put("cpu_seconds_per_million_events", cpuPerMillion(cpuSeconds));
        n.put("peak_rss_bytes", sample.peakRssBytes());
        n.put("rss_bytes_at_drain_end", sample.rssBytes());
        return n;
    }

    private ObjectNode checkJson() {
        ObjectNode c = JSON.createObjectNode();
        c.put("ok", checkOk());
        c.put("expected_events", events());
        c.put("source_count", source.count());
        c.put("source_checksum", source.sum());
        c.put("kafka_count", kafka.checksum().count());
        c.put("kafka_checksum", kafka.checksum().sum());
        c.put("kafka_distinct_ids", kafka.distinctIds());
        c.put("kafka_records_not_inserts", kafka.otherOps());
        c.put("kafka_records_with_wrong_json_types", kafka.wrongTypes());
        c.put("method", "count and sum of CRC32(CONCAT(id, ':', payload)) over the table (SQL) and over the after "
                + "images of a read_committed consumer of the table topic (Java)");
        return c;
    }
}
