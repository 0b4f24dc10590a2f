package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.SluiceConfig;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import dev.sluice.kafka.KafkaWriter;
import dev.sluice.kafka.TopicNames;
import dev.sluice.testkit.RowChecksum;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline benchmark's story: start a Kafka broker and warm it up; then for each workload start a fresh MariaDB, write the
 * workload's backlog with no pipeline running, start {@code sluice run} in its own JVM from the start of the binlog,
 * wait until a read_committed consumer sees the backlog's last GTID committed, read the processes' CPU and memory,
 * stop the pipeline, check the table topics against the source ({@link WorkloadCheck}), and delete the topics.
 */
public final class PipelineBench {
    private static final Logger log = LoggerFactory.getLogger(PipelineBench.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final long WARM_UP_RECORDS = 300_000;
    private static final String WARM_UP_PREFIX = "bench-warm-up";

    private final Options options;
    private final Latency latency;

    /**
     * The open-loop latency run after the drains: rows per second, where {@link #HALF_OF_CAPACITY} stands for half
     * of a drain's steady rate (W1's, 1-row transactions like the load's, else the first workload's); no rates = no
     * latency run. {@code pipelineSettings} go into the latency pipeline's config.
     */
    public record Latency(
            List<Double> rates,
            double warmupSeconds,
            double measureSeconds,
            int maxTransactionsPerSecond,
            int writerConnections,
            Map<String, String> pipelineSettings) {
        public static final double HALF_OF_CAPACITY = -1;

        public static Latency none() {
            return new Latency(List.of(), 0, 1, 1, 1, Map.of());
        }
    }

    /** The knobs of one run; {@code brokerSettings} replace the bench broker's defaults (empty: Kafka's own). */
    public record Options(
            List<Workload> workloads,
            Workload.Size size,
            Path workDir,
            String heap,
            List<String> pipelineJvmOptions,
            Map<String, String> brokerSettings) {
        /** {@code heap} as -Xmx reads it: a number with an optional k, m or g suffix. */
        public long heapBytes() {
            String h = heap.trim().toLowerCase(Locale.ROOT);
            int shift = switch (h.charAt(h.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 0;
            };
            return Long.parseLong(shift == 0 ? h : h.substring(0, h.length() - 1)) << shift;
        }
    }

    public PipelineBench(Options options, Latency latency) {
        this.options = options;
        this.latency = latency;
    }

    public BenchResult run() throws Exception {
        String git = Manifest.gitDescription();
        log.info("Starting a Kafka broker in {}", options.workDir().toAbsolutePath());
        KafkaBroker kafka = KafkaBroker.start(
                options.workDir().resolve("kafka"), Ports.free(), Ports.free(), 512, options.brokerSettings());
        try {
            warmUp(kafka);
            FreshDatabases.Runs<WorkloadDrain> runs = FreshDatabases.each(
                    options.workloads(),
                    options.workDir(),
                    mariadb -> manifest(mariadb, kafka, git),
                    (w, dir, mariadb) -> drain(w, dir, mariadb, kafka));
            LatencyResult latencyResult =
                    latency.rates().isEmpty() ? null : latencyRun(kafka, capacity(runs.results()));
            return new BenchResult(runs.manifest(), options, runs.results(), latencyResult);
        } finally {
            kafka.stop();
            KafkaData.delete(options.workDir().resolve("kafka"));
        }
    }

    /**
     * Before the first workload, a transactional writer sends {@value #WARM_UP_RECORDS} records of the narrow row's
     * envelope size through the new broker, which are then deleted. A new broker creates its transaction-state topic
     * (50 partitions) at the first {@code initTransactions} and compiles its produce and transaction paths during
     * its first seconds of load; the first workload alone paid for both (a later time to first commit and several
     * times the broker CPU per event of the others; docs/benchmarks.md), which a production broker did long before
     * Sluice connected.
     */
    private static void warmUp(KafkaBroker kafka) throws Exception {
        log.info("Warming up the broker: {} transactional records, then deleted", WARM_UP_RECORDS);
        SluiceConfig.Kafka config = WriterPerf.kafkaConfig(kafka.bootstrapServers(), WARM_UP_PREFIX, 1, -1);
        try (KafkaWriter writer = WriterPerf.open(config, WARM_UP_PREFIX, WARM_UP_PREFIX + ".rows")) {
            new WriterPerf(writer, WARM_UP_PREFIX + ".rows", 420).run(WARM_UP_RECORDS, false);
        }
        PeerComparison.deleteTopics(kafka.bootstrapServers(), WARM_UP_PREFIX);
    }

    private WorkloadDrain drain(Workload w, Path dir, MariaDbServer mariadb, KafkaBroker kafka) throws Exception {
        log.info("{} ({}): writing {} row changes", w, w.description(), w.events(options.size()));
        Backlog.Result backlog = Backlog.write(mariadb, w.generator(options.size()));
        List<RowChecksum> sources = WorkloadCheck.sourceChecksums(mariadb, backlog.tables(), Representation.SLUICE);
        String prefix = topicPrefix(w);
        String pipelineName = BenchConfig.PIPELINE + "-" + w.name().toLowerCase(Locale.ROOT);
        Path config =
                BenchConfig.write(dir.resolve("pipeline").resolve("sluice.yaml"), mariadb, kafka, prefix, pipelineName);
        DrainMeasurement drain = SluiceDrain.run(
                config,
                new TopicNames(prefix).positions(),
                pipelineName,
                kafka,
                mariadb,
                backlog,
                options.heap(),
                options.pipelineJvmOptions(),
                drainTimeout(backlog.events()));
        log.info(
                "{}: reading the {} table topic(s) back with a read_committed consumer to check them",
                w,
                backlog.tables().size());
        WorkloadCheck check = WorkloadCheck.read(
                kafka.bootstrapServers(), tableTopics(prefix, backlog), backlog, sources, Representation.SLUICE);
        WorkloadDrain measured = new WorkloadDrain(w, backlog, drain, check, null);
        PeerComparison.deleteTopics(kafka.bootstrapServers(), prefix); // the ceiling's producer gets the broker alone
        WorkloadDrain run = new WorkloadDrain(
                w,
                backlog,
                drain,
                check,
                Ceilings.measure(mariadb, kafka, backlog.events(), measured.bytesPerEvent(), 1, System.out));
        log.info(
                "{}: {} events/s ({} of ProducerPerformance, {} of the raw binlog read), peak heap {} MiB, check {}",
                w,
                String.format("%,.0f", run.eventsPerSecond()),
                String.format("%.2f", run.ofProducerCeiling()),
                String.format("%.2f", run.ofBinlogReadCeiling()),
                drain.gc().peakUsedBytes() >> 20,
                check.summary());
        return run;
    }

    /** The steady drain rate the half-of-capacity latency rate is half of: W1's if it ran, else the first's. */
    private static double capacity(List<WorkloadDrain> runs) {
        WorkloadDrain basis = runs.stream()
                .filter(r -> r.workload() == Workload.W1)
                .findFirst()
                .orElse(runs.get(0));
        return basis.steadyEventsPerSecond();
    }

    /** The open-loop latency run, on a fresh MariaDB and the same broker, with its own pipeline. */
    private LatencyResult latencyRun(KafkaBroker kafka, double capacity) throws Exception {
        List<LatencyRun.Rate> rates = latency.rates().stream()
                .map(r -> r == Latency.HALF_OF_CAPACITY
                        ? new LatencyRun.Rate(
                                String.format(Locale.ROOT, "half of capacity: %,.0f/s", capacity / 2),
                                capacity / 2,
                                true)
                        : new LatencyRun.Rate(String.format(Locale.ROOT, "%,.0f/s", r), r, false))
                .toList();
        LatencyRun.Options o = new LatencyRun.Options(
                latency.warmupSeconds(),
                latency.measureSeconds(),
                latency.maxTransactionsPerSecond(),
                latency.writerConnections(),
                options.heap(),
                options.pipelineJvmOptions(),
                latency.pipelineSettings());
        Path dir = options.workDir().resolve("latency");
        MariaDbServer mariadb = FreshDatabases.start(dir);
        try {
            return new LatencyRun(mariadb, kafka, o).run(dir.resolve("pipeline"), rates);
        } finally {
            mariadb.stop();
        }
    }

    static String topicPrefix(Workload w) {
        return BenchConfig.TOPIC_PREFIX + "-" + w.name().toLowerCase(Locale.ROOT);
    }

    /** Sluice's topic of each backlog table, in the backlog's table order. */
    static List<String> tableTopics(String prefix, Backlog.Result backlog) {
        TopicNames names = new TopicNames(prefix);
        return backlog.tables().stream()
                .map(t -> names.table(t.database(), t.name()))
                .toList();
    }

    private ObjectNode manifest(MariaDbServer mariadb, KafkaBroker kafka, String git) throws Exception {
        Path example = BenchConfig.write(
                options.workDir().resolve("sluice-example.yaml"),
                mariadb,
                kafka,
                BenchConfig.TOPIC_PREFIX + "-wN",
                BenchConfig.PIPELINE + "-wN");
        List<String> flags = new ArrayList<>(List.of("-Xmx" + options.heap(), "-Xlog:gc:file=<run dir>/gc.log"));
        flags.addAll(options.pipelineJvmOptions());
        ObjectNode m =
                Manifest.collect(mariadb, kafka, workloads(options.workloads(), options.size()), example, flags, git);
        m.put(
                "sluice_settings_note",
                "each workload's pipeline sets kafka.topic-prefix to sluice-<workload> and "
                        + "pipeline.name to sluice-bench-<workload>");
        return m;
    }

    /** What each workload writes, for a manifest. */
    static ObjectNode workloads(List<Workload> workloads, Workload.Size size) {
        ObjectNode w = JSON.createObjectNode();
        w.put(
                "generation",
                "each workload on a fresh server with no reader running: JDBC batches of statements "
                        + "(rows computed by the server, multi-row inserts from the Sequence engine), sync_binlog=0 and "
                        + "innodb_flush_log_at_trx_commit=0 while writing; every statement's affected rows checked");
        w.put("large_transaction_rows", size.largeTransactionRows());
        w.put("mix_single_row_share", size.singleRowShare());
        ArrayNode list = w.putArray("workloads");
        for (Workload each : workloads) {
            Backlog.Generator g = each.generator(size);
            ObjectNode n = list.addObject();
            n.put("workload", each.name());
            n.put("description", each.description());
            n.put("events", each.events(size));
            n.put("shape", g.shape());
            n.put("tables", g.tables().size());
            n.put("table_example", g.tables().get(0).ddl());
        }
        return w;
    }

    /** Generous: ten times the time 100k events/s would take, plus a minute for start-up. */
    static Duration drainTimeout(long events) {
        return Duration.ofSeconds(60 + events / 10_000);
    }
}
