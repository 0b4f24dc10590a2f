package dev.sluice.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import dev.sluice.kafka.TopicNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load benchmark's story: start a Kafka broker; for each workload start a fresh MariaDB, write its backlog,
 * drain it into Sluice's change topics with {@code sluice run} (and into Debezium's with the Debezium peer, for
 * loader (d)); then, run after run, load those same topics into a fresh PostgreSQL database with each loader in turn
 * ({@link LoadRun}), each checked against the source; delete the topics.
 */
final class LoadBench {
    private static final Logger log = LoggerFactory.getLogger(LoadBench.class);

    /**
     * The knobs of one run. {@code runs}: loads per loader and workload, the first not counted when there are more
     * than one (alternating order: the loaders run in the order given on odd runs, reversed on even ones);
     * {@code batchEvents}: loader (b)'s events per batch; {@code repository}: the checkout, for the loader's and the
     * peers' class paths.
     */
    record Options(
            List<Workload> workloads,
            Workload.Size size,
            int runs,
            List<LoadSystem> systems,
            Path workDir,
            String heap,
            List<String> loaderJvmOptions,
            int batchEvents,
            String peerHeap,
            int debeziumBatchSize,
            Path repository) {}

    private final Options options;

    LoadBench(Options options) {
        this.options = options;
    }

    LoadBenchResult run() throws Exception {
        String git = Manifest.gitDescription();
        log.info("Starting a Kafka broker in {}", options.workDir().toAbsolutePath());
        KafkaBroker kafka =
                KafkaBroker.start(options.workDir().resolve("kafka"), Ports.free(), Ports.free(), 512, Map.of());
        try {
            FreshDatabases.Runs<List<LoadSample>> runs = FreshDatabases.each(
                    options.workloads(),
                    options.workDir(),
                    mariadb -> manifest(mariadb, kafka, git),
                    (w, dir, mariadb) -> workload(w, dir, mariadb, kafka));
            List<LoadSample> samples = new ArrayList<>();
            runs.results().forEach(samples::addAll);
            return new LoadBenchResult(runs.manifest(), options, samples);
        } finally {
            kafka.stop();
            KafkaData.delete(options.workDir().resolve("kafka"));
        }
    }

    private List<LoadSample> workload(Workload w, Path dir, MariaDbServer mariadb, KafkaBroker kafka) throws Exception {
        log.info("{} ({}): writing {} row changes", w, w.description(), w.events(options.size()));
        Backlog.Result backlog = Backlog.write(mariadb, w.generator(options.size()));
        String prefix = "sluice-load-" + w.name().toLowerCase(Locale.ROOT);
        capture(w, dir, mariadb, kafka, backlog, prefix);
        List<String> topics = PipelineBench.tableTopics(prefix, backlog);
        Map<TopicPartition, Long> next = LastOffsets.of(kafka.bootstrapServers(), topics);
        DebeziumTopics debezium = options.systems().contains(LoadSystem.DEBEZIUM)
                ? DebeziumTopics.produce(w, backlog, mariadb, kafka, dir, options)
                : null;
        LoadRun loads = new LoadRun(
                new LoadRun.Topics(w, backlog, mariadb, kafka, prefix, topics, next, debezium), options, dir);
        List<LoadSample> samples = new ArrayList<>();
        try {
            for (int run = 1; run <= options.runs(); run++) {
                for (LoadSystem system : order(run)) {
                    samples.add(loadOrFailure(loads, w, system, run));
                }
            }
        } finally {
            PeerComparison.deleteTopics(kafka.bootstrapServers(), prefix);
            if (debezium != null) {
                PeerComparison.deleteTopics(kafka.bootstrapServers(), debezium.prefix());
            }
        }
        return samples;
    }

    /**
     * One load; a loader that fails or times out fails the bench (exit 6, named in the table and the JSON) but the
     * other loaders still run.
     */
    private LoadSample loadOrFailure(LoadRun loads, Workload w, LoadSystem system, int run) {
        boolean counted = run > 1 || options.runs() == 1;
        try {
            return loads.run(system, run, counted);
        } catch (Exception e) {
            log.error("{} run {}: {} FAILED: {}", w, run, system.label(), e.getMessage());
            return LoadSample.failed(w, system, run, counted, w.events(options.size()), e.toString());
        }
    }

    /** Sluice's change topics of the backlog, by {@code sluice run} from the start of the binlog. */
    private void capture(
            Workload w, Path dir, MariaDbServer mariadb, KafkaBroker kafka, Backlog.Result backlog, String prefix)
            throws Exception {
        String pipelineName = "sluice-load-bench-" + w.name().toLowerCase(Locale.ROOT);
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
                List.of(),
                PipelineBench.drainTimeout(backlog.events()));
        log.info(
                "{}: {} events in Sluice's topics after {} s",
                w,
                backlog.events(),
                String.format("%.1f", drain.seconds()));
    }

    /** A B C, then C B A: no loader always comes first after the capture or right after another's database drop. */
    private List<LoadSystem> order(int run) {
        List<LoadSystem> order = new ArrayList<>(options.systems());
        if (run % 2 == 0) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    private ObjectNode manifest(MariaDbServer mariadb, KafkaBroker kafka, String git) throws Exception {
        // One file for the capture and the loader: the manifest lists both sections' settings.
        Path example = BenchConfig.write(
                options.workDir().resolve("sluice-example.yaml"),
                mariadb,
                kafka,
                "sluice-load-wN",
                "sluice-load-wN",
                Map.of(
                        ConfigKeys.TARGET_TYPE, "postgresql",
                        ConfigKeys.TARGET_URL, "jdbc:postgresql://127.0.0.1:5432/<fresh database>",
                        ConfigKeys.LOAD_NAME, "bench-load-wN-rN"));
        List<String> flags = new ArrayList<>(List.of("-Xmx" + options.heap(), "-Xlog:gc:file=<run dir>/gc.log"));
        flags.addAll(options.loaderJvmOptions());
        ObjectNode m = Manifest.collect(
                mariadb, kafka, PipelineBench.workloads(options.workloads(), options.size()), example, flags, git);
        m.put("postgresql", postgresVersion());
        m.put(
                "loader_jvm_note",
                "the pipeline_jvm_flags are those of every loader JVM (sluice load and (a)-(c)); "
                        + "sluice load runs with its defaults (load.workers 2, load.batch-rows 50,000), the class path of "
                        + "bin/sluice load");
        m.put("batch_events_of_b", options.batchEvents());
        m.put("debezium_jdbc_batch_size", options.debeziumBatchSize());
        m.put("debezium_heap", options.peerHeap());
        return m;
    }

    private static String postgresVersion() {
        try (dev.sluice.testkit.TestPostgres probe = dev.sluice.testkit.TestPostgres.freshDatabase("bench_load_probe");
                java.sql.Connection c = probe.connect();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
