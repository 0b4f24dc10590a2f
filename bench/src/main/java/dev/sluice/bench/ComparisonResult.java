package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.bench.PeerComparison.WorkloadRun;
import dev.sluice.testkit.RowChecksum;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The comparison's figures: per workload the median over the counted rounds (all but the first) of each system's
 * events/s and CPU-seconds per million events, the ratio Sluice / Debezium of the medians, and the geometric mean of
 * the ratios across workloads. The target is a geometric-mean ratio of at least 2.
 */
public record ComparisonResult(ObjectNode manifest, PeerComparison.Options options, List<WorkloadRun> workloads) {
    public static final double TARGET_RATIO = 2.0;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final double MIB = 1 << 20;

    static double median(WorkloadRun run, String system, ToDoubleFunction<RunSample> metric) {
        return median(run.samples().stream()
                .filter(s -> s.counted() && s.system().equals(system))
                .mapToDouble(metric)
                .toArray());
    }

    /** The median of any values (the mean of the middle two for an even count); NaN for none. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Sluice's median events/s over Debezium's, for one workload. */
    static double ratio(WorkloadRun run) {
        return median(run, PeerComparison.SLUICE, RunSample::eventsPerSecond)
                / median(run, PeerComparison.DEBEZIUM, RunSample::eventsPerSecond);
    }

    /** The same ratio for the steady rates (first output to last, start-up left out). */
    static double steadyRatio(WorkloadRun run) {
        return median(run, PeerComparison.SLUICE, RunSample::steadyEventsPerSecond)
                / median(run, PeerComparison.DEBEZIUM, RunSample::steadyEventsPerSecond);
    }

    public double geometricMeanSteadyRatio() {
        return geometricMean(
                workloads.stream().mapToDouble(ComparisonResult::steadyRatio).toArray());
    }

    /** Debezium's median CPU per event over Sluice's: how many times more CPU Debezium spends per event. */
    static double cpuRatio(WorkloadRun run) {
        return median(run, PeerComparison.DEBEZIUM, RunSample::cpuSecondsPerMillion)
                / median(run, PeerComparison.SLUICE, RunSample::cpuSecondsPerMillion);
    }

    public double geometricMeanRatio() {
        return geometricMean(
                workloads.stream().mapToDouble(ComparisonResult::ratio).toArray());
    }

    public double geometricMeanCpuRatio() {
        return geometricMean(
                workloads.stream().mapToDouble(ComparisonResult::cpuRatio).toArray());
    }

    static double geometricMean(double[] values) {
        return Math.exp(Arrays.stream(values).map(Math::log).average().orElse(Double.NaN));
    }

    public boolean checksOk() {
        return workloads.stream().flatMap(w -> w.samples().stream()).allMatch(RunSample::checkOk);
    }

    public boolean targetMet() {
        return geometricMeanRatio() >= TARGET_RATIO;
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "pipeline-peer");
        root.set("manifest", manifest);
        root.set("method", method());
        root.set("debezium_config", debeziumConfig());
        ArrayNode list = root.putArray("workloads");
        workloads.forEach(w -> list.add(workloadJson(w)));
        ObjectNode summary = root.putObject("summary");
        summary.put("geometric_mean_ratio_events_per_second_sluice_over_debezium", geometricMeanRatio());
        summary.put("geometric_mean_ratio_cpu_per_event_debezium_over_sluice", geometricMeanCpuRatio());
        summary.put("geometric_mean_ratio_steady_events_per_second_sluice_over_debezium", geometricMeanSteadyRatio());
        summary.put("all_checks_ok", checksOk());
        ObjectNode target = root.putObject("target");
        target.put("ratio", TARGET_RATIO);
        target.put("met", targetMet());
        return root;
    }

    private ObjectNode method() {
        ObjectNode m = JSON.createObjectNode();
        m.put(
                "events_per_workload",
                options.size().events() > 0
                        ? Long.toString(options.size().events())
                        : "each workload's default (see workloads[].events)");
        m.put("large_transaction_rows", options.size().largeTransactionRows());
        m.put(
                "check",
                "every run of both systems: each table topic read back (read_committed) and rebuilt (last "
                        + "image per key, a delete removes it); records per op = row changes written, tombstones (Debezium: "
                        + "one per delete), distinct keys = inserts, rebuilt rows and CRC32 checksum = the source's in SQL, "
                        + "no wrong JSON type or before image that differs from the row built so far. Sluice is compared on "
                        + "every column; Debezium on the columns it writes as the source's text (not DECIMAL, DATETIME, "
                        + "BIT(n>1), BIGINT UNSIGNED: see docs/benchmarks.md)");
        m.put("rounds", options.rounds());
        m.put("order", "per round: Sluice then Debezium (A B A B ...); round 1 not counted");
        m.put(
                "drain_seconds",
                "JVM launch until a consumer could read the whole backlog: Sluice, a read_committed "
                        + "consumer sees the position of the last GTID committed; Debezium, the table topic's end offset "
                        + "(high watermark, acks=all) reaches the backlog's event count");
        m.put(
                "steady",
                "first output to last by the system's own clock: Sluice, first to last commit "
                        + "(committed_at_ms), events beyond the first commit; Debezium, first to last acknowledged record");
        m.put("cpu", "utime+stime of the system's JVM from /proc/<pid>/stat at that moment, start-up included");
        m.put(
                "state",
                "new topic prefix, pipeline name / engine name and offset + schema-history files per run; "
                        + "each run's topics deleted after it was checked");
        m.put("sluice_heap", options.heap());
        m.put("debezium_heap", options.peerHeap());
        m.set("sluice_jvm_options", JSON.valueToTree(options.pipelineJvmOptions()));
        m.set("debezium_jvm_options", JSON.valueToTree(options.peerJvmOptions()));
        return m;
    }

    /** The exact settings of a Debezium run, with the per-run names and paths shown as placeholders. */
    private ObjectNode debeziumConfig() {
        ObjectNode c = JSON.createObjectNode();
        c.set(
                "engine",
                JSON.valueToTree(DebeziumPeer.engineConfig(
                        "dbz-bench-<workload>-r<round>",
                        "dbz-<workload>-r<round>",
                        Path.of("<run dir>", "state"),
                        "<mariadb host>",
                        "<mariadb port>",
                        PeerComparison.PEER_SERVER_ID_BASE + "+<round>")));
        c.set("producer", JSON.valueToTree(DebeziumPeer.producerConfig("<broker>")));
        c.put(
                "engine_format",
                "DebeziumEngine.create(JsonByteArray.class): the async embedded engine "
                        + "(ConvertingAsyncEngineBuilderFactory, the only one in 3.5), JsonConverter output as bytes");
        c.put(
                "sink",
                "KafkaPublisher: every record of a batch sent with KafkaProducer.send, the batch's acks awaited, "
                        + "then markProcessed + markBatchFinished (as Debezium Server's Kafka sink); topics created on first "
                        + "use with 1 partition, RF 1 (as Sluice's)");
        return c;
    }

    private ObjectNode workloadJson(WorkloadRun w) {
        ObjectNode n = JSON.createObjectNode();
        n.put("workload", w.workload().name());
        n.put("description", w.workload().description());
        n.put("shape", w.backlog().shape());
        n.put("events", w.backlog().events());
        n.put("inserts", w.backlog().writtenTotal().inserts());
        n.put("updates", w.backlog().writtenTotal().updates());
        n.put("deletes", w.backlog().writtenTotal().deletes());
        n.put("tables", w.backlog().tables().size());
        n.put("transactions", w.backlog().transactions());
        n.put("gtid_before", w.backlog().gtidBefore());
        n.put("gtid_after", w.backlog().gtidAfter());
        n.put("binlog_bytes", w.backlog().binlogBytes());
        n.put(
                "source_rows",
                w.sluiceSource().stream().mapToLong(RowChecksum::count).sum());
        n.put(
                "source_checksum_sluice_columns",
                w.sluiceSource().stream().mapToLong(RowChecksum::sum).sum());
        n.put(
                "source_checksum_debezium_columns",
                w.debeziumSource().stream().mapToLong(RowChecksum::sum).sum());
        n.set(
                "debezium_columns_compared",
                JSON.valueToTree(w.backlog().tables().get(0).columns(Representation.DEBEZIUM).stream()
                        .map(CheckedColumn::name)
                        .toList()));
        for (String system : List.of(PeerComparison.SLUICE, PeerComparison.DEBEZIUM)) {
            ObjectNode m = n.putObject("median_" + system);
            m.put("events_per_second", median(w, system, RunSample::eventsPerSecond));
            m.put("seconds", median(w, system, RunSample::seconds));
            m.put("seconds_to_first_output", median(w, system, RunSample::secondsToFirstOutput));
            m.put("steady_events_per_second", median(w, system, RunSample::steadyEventsPerSecond));
            m.put("cpu_seconds_per_million_events", median(w, system, RunSample::cpuSecondsPerMillion));
            m.put("peak_rss_bytes", median(w, system, s -> s.peakRssBytes()));
            m.put("peak_heap_used_bytes", median(w, system, s -> s.gc().peakUsedBytes()));
        }
        n.put("ratio_events_per_second_sluice_over_debezium", ratio(w));
        n.put("ratio_cpu_per_event_debezium_over_sluice", cpuRatio(w));
        n.put("ratio_steady_events_per_second_sluice_over_debezium", steadyRatio(w));
        ArrayNode samples = n.putArray("samples");
        w.samples().forEach(s -> samples.add(sampleJson(s)));
        return n;
    }

    private ObjectNode sampleJson(RunSample s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("system", s.system());
        n.put("round", s.round());
        n.put("counted", s.counted());
        n.put("topic_prefix", s.topicPrefix());
        n.put("seconds", s.seconds());
        n.put("events_per_second", s.eventsPerSecond());
        n.put("seconds_to_first_output", s.secondsToFirstOutput());
        n.put("steady_events_per_second", s.steadyEventsPerSecond());
        n.put("cpu_seconds", s.cpuSeconds());
        n.put("cpu_seconds_per_million_events", s.cpuSecondsPerMillion());
        n.set("cpu_seconds_by_thread", JSON.valueToTree(s.threadCpuSeconds()));
        n.put("peak_rss_bytes", s.peakRssBytes());
        n.put("gc", s.gc().collector());
        n.put("gc_pauses", s.gc().pauses());
        n.put("gc_pause_ms_total", s.gc().pauseMs());
        n.put("peak_heap_used_bytes", s.gc().peakUsedBytes());
        n.put("peak_heap_after_gc_bytes", s.gc().peakAfterGcBytes());
        n.put("broker_cpu_seconds_during_drain", s.brokerCpuSeconds());
        n.put("mariadbd_cpu_seconds_during_drain", s.mariadbCpuSeconds());
        n.put("exit_code_after_sigterm", s.exitCode());
        ObjectNode check = s.check().toJson();
        check.remove("method");
        if (s.check().tables().size() > 10) {
            check.remove("tables"); // W6's 100 tables: the totals and the problems name any that differ
        }
        n.set("check", check);
        return n;
    }

    /** Median events/s of each system per workload, side by side. */
    public String chart() {
        List<String> names = workloads.stream().map(w -> w.workload().name()).toList();
        return SvgChart.bars(
                String.format(
                        java.util.Locale.ROOT,
                        "Sluice vs Debezium: median events/s of %d counted " + "rounds (geometric mean ratio %.2fx)",
                        Math.max(1, options.rounds() - 1),
                        geometricMeanRatio()),
                "events/s (JVM launch -> whole backlog readable)",
                names,
                List.of(
                        new SvgChart.Series(
                                "Sluice",
                                workloads.stream()
                                        .mapToDouble(w -> median(w, PeerComparison.SLUICE, RunSample::eventsPerSecond))
                                        .toArray()),
                        new SvgChart.Series(
                                "Debezium " + DebeziumPeer.DEBEZIUM_VERSION,
                                workloads.stream()
                                        .mapToDouble(
                                                w -> median(w, PeerComparison.DEBEZIUM, RunSample::eventsPerSecond))
                                        .toArray())));
    }

    public String table() {
        return ComparisonTable.render(this);
    }

    static double mib(double bytes) {
        return bytes / MIB;
    }
}
