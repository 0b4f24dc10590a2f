package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.bench.CommitWatch.Commit;

/**
 * One workload of a pipeline benchmark run: its backlog, Sluice's drain of it, and the check of the topics. Rates
 * count row changes ("events"); MiB are 2^20 bytes; Kafka payload is key plus value bytes of the table topics.
 */
public record WorkloadDrain(
        Workload workload,
        Backlog.Result backlog,
        DrainMeasurement drain,
        WorkloadCheck check,
        Ceilings.Result ceilings) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MIB = 1 << 20;

    public long events() {
        return backlog.events();
    }

    public double eventsPerSecond() {
        return events() / drain.seconds();
    }

    public double mibPerSecond() {
        return check.payloadBytes() / MIB / drain.seconds();
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

    /** Key + value bytes per record Sluice wrote: the record size the producer ceiling is measured with. */
    public int bytesPerEvent() {
        return (int) Math.max(1, Math.round(check.payloadBytes() / (double) events()));
    }

    /** Sluice's drain rate over ProducerPerformance's at the same record size and partitions (the issue's >= 0.6). */
    public double ofProducerCeiling() {
        return eventsPerSecond() / ceilings.producer().recordsPerSec();
    }

    /** Sluice's drain rate over the raw binlog read's, both in row events of this backlog per second. */
    public double ofBinlogReadCeiling() {
        return eventsPerSecond() / (events() / ceilings.binlog().seconds());
    }

    public LargeTransaction largest() {
        return LargeTransaction.of(backlog.largest(), drain.commits());
    }

    public boolean checkOk() {
        return check.ok();
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("workload", workload.name());
        root.put("description", workload.description());
        root.set("backlog", backlogJson());
        root.set("drain", drainJson());
        root.set("processes", processesJson());
        root.set("largest_transaction", largestJson());
        root.set("check", check.toJson());
        ObjectNode c = ceilings.toJson();
        c.put("sluice_over_producer_performance", ofProducerCeiling());
        c.put("sluice_over_raw_binlog_read", ofBinlogReadCeiling());
        root.set("ceilings", c);
        return root;
    }

    private ObjectNode backlogJson() {
        ObjectNode b = JSON.createObjectNode();
        b.put("shape", backlog.shape());
        b.put("events", backlog.events());
        b.put("inserts", backlog.writtenTotal().inserts());
        b.put("updates", backlog.writtenTotal().updates());
        b.put("deletes", backlog.writtenTotal().deletes());
        b.put("transactions", backlog.transactions());
        b.put("tables", backlog.tables().size());
        b.put("table_example", backlog.tables().get(0).ddl());
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
        d.put("kafka_payload_bytes", check.payloadBytes());
        d.put("kafka_mib_per_second", mibPerSecond());
        d.put("binlog_mib_per_second", backlog.binlogBytes() / MIB / drain.seconds());
        d.put("seconds_to_first_commit", drain.secondsToFirstCommit());
        d.put("first_to_last_commit_seconds", drain.firstToLastCommitSeconds());
        d.put("steady_events_per_second", steadyEventsPerSecond());
        d.put("second_half_events_per_second", secondHalfEventsPerSecond());
        d.put("kafka_commits", drain.commits().size());
        d.put(
                "timeline_columns",
                "seen_ms, committed_ms (both since the pipeline JVM started), backlog events covered");
        ArrayNode timeline = d.putArray("timeline");
        for (Commit c : drain.commits()) {
            timeline.addArray()
                    .add(c.seenAtMs() - drain.startedAtMs())
                    .add(c.committedAtMs() - drain.startedAtMs())
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

    private ObjectNode largestJson() {
        LargeTransaction large = largest();
        ObjectNode n = JSON.createObjectNode();
        n.put("gtid", large.gtid());
        n.put("row_changes", large.rowChanges());
        n.put("atomic", large.atomic());
        n.set("partial_commits_events", JSON.valueToTree(large.partialCommits()));
        n.put("outcome", large.describe());
        return n;
    }
}
