package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbBinaries;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import dev.sluice.kafka.TopicNames;
import dev.sluice.testkit.RowChecksum;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot benchmark's story: start a fresh MariaDB and Kafka broker, generate {@code bench.snap}, checksum it,
 * then per round copy it every way side by side — {@code mariadb-dump --single-transaction}, a raw JDBC
 * {@code SELECT} at each parallelism, and Sluice's initial snapshot at each parallelism (its own JVM, fresh topics
 * and pipeline name, so every run is a first start) — alternating the order between rounds. Every Sluice run's table
 * topic is read back and checked against the source (count, distinct ids, checksum of every column).
 */
public final class SnapshotBench {
    private static final Logger log = LoggerFactory.getLogger(SnapshotBench.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final DrainVerifier.Shape SNAPSHOT_ROWS =
            new DrainVerifier.Shape("r", SnapshotTable.COLUMNS, SnapshotTable.INTEGER_COLUMNS);

    private final Options options;

    /**
     * The knobs of one run. {@code chunkSize} 0 leaves {@code snapshot.chunk-size} at Sluice's default;
     * {@code bufferPool} is the server's {@code innodb_buffer_pool_size}.
     */
    public record Options(
            long rows,
            List<Integer> parallelism,
            int rounds,
            int chunkSize,
            String bufferPool,
            Path workDir,
            String heap,
            List<String> pipelineJvmOptions,
            boolean skipSluice) {}

    /** One copy to measure in a round: a method at a parallelism. */
    record Step(SnapshotSample.Method method, int parallelism) {}

    public SnapshotBench(Options options) {
        this.options = options;
    }

    public SnapshotBenchResult run() throws Exception {
        String git = Manifest.gitDescription();
        log.info(
                "Starting MariaDB (innodb_buffer_pool_size={}) and a Kafka broker in {}",
                options.bufferPool(),
                options.workDir().toAbsolutePath());
        MariaDbServer mariadb = MariaDbServer.start(
                MariaDbBinaries.embedded(MariaDbBinaries.defaultCacheRoot()),
                options.workDir().resolve("mariadb"),
                Ports.free(),
                MariaDbServer.Options.defaults()
                        .withExtraArgs(List.of("--innodb-buffer-pool-size=" + options.bufferPool())));
        try {
            KafkaBroker kafka = KafkaBroker.start(options.workDir().resolve("kafka"), Ports.free(), Ports.free(), 512);
            try {
                return measure(mariadb, kafka, git);
            } finally {
                kafka.stop();
                KafkaData.delete(options.workDir().resolve("kafka"));
            }
        } finally {
            mariadb.stop();
        }
    }

    private SnapshotBenchResult measure(MariaDbServer mariadb, KafkaBroker kafka, String git) throws Exception {
        log.info("Generating {} rows in {}", options.rows(), SnapshotTable.TABLE);
        SnapshotTable.Result table = SnapshotTable.create(mariadb, options.rows());
        RowChecksum source;
        try (Connection c = mariadb.connect()) {
            source = RowChecksum.ofTable(c, SnapshotTable.TABLE, SnapshotTable.COLUMNS);
        }
        ObjectNode manifest = manifest(mariadb, kafka, git, table);
        List<SnapshotSample> samples = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            List<Step> steps = steps(round);
            log.info("Round {} of {}: {}", round, options.rounds(), steps);
            for (Step step : steps) {
                SnapshotSample s = measure(step, round, mariadb, kafka, source);
                log.info(
                        "Round {} {} p{}: {} rows/s, check {}",
                        round,
                        step.method().label(),
                        step.parallelism(),
                        String.format("%,.0f", s.rowsPerSecond()),
                        s.checkOk() ? "OK" : "FAILED: " + s.check());
                samples.add(s);
            }
        }
        return new SnapshotBenchResult(manifest, options, table, source, samples);
    }

    /** The dump, the raw scans, then Sluice's runs; every other round in reverse, so no method always goes first. */
    List<Step> steps(int round) {
        List<Step> steps = new ArrayList<>(List.of(new Step(SnapshotSample.Method.DUMP, 1)));
        options.parallelism().forEach(p -> steps.add(new Step(SnapshotSample.Method.RAW_SELECT, p)));
        if (!options.skipSluice()) {
            options.parallelism().forEach(p -> steps.add(new Step(SnapshotSample.Method.SLUICE, p)));
        }
        if (round % 2 == 0) {
            java.util.Collections.reverse(steps);
        }
        return steps;
    }

    private SnapshotSample measure(Step step, int round, MariaDbServer mariadb, KafkaBroker kafka, RowChecksum source)
            throws Exception {
        boolean counted = round > 1 || options.rounds() == 1;
        return switch (step.method()) {
            case DUMP ->
                SnapshotSample.of(
                        round,
                        counted,
                        options.rows(),
                        MariaDbDump.run(
                                mariadb,
                                SnapshotTable.DATABASE,
                                SnapshotTable.NAME,
                                options.workDir().resolve("dump-r" + round + ".sql")));
            case RAW_SELECT ->
                SnapshotSample.of(
                        round,
                        counted,
                        options.rows(),
                        RawScan.run(
                                mariadb,
                                SnapshotTable.TABLE,
                                SnapshotTable.COLUMNS,
                                options.rows(),
                                step.parallelism()));
            case SLUICE -> sluice(step.parallelism(), round, counted, mariadb, kafka, source);
        };
    }

    private SnapshotSample sluice(
            int parallelism, int round, boolean counted, MariaDbServer mariadb, KafkaBroker kafka, RowChecksum source)
            throws Exception {
        String prefix = "snap-p" + parallelism + "-r" + round;
        String tableTopic = new TopicNames(prefix).table(SnapshotTable.DATABASE, SnapshotTable.NAME);
        Path config = BenchConfig.write(
                options.workDir()
                        .resolve("sluice-p" + parallelism + "-r" + round)
                        .resolve("sluice.yaml"),
                mariadb,
                kafka,
                prefix,
                "sluice-bench-" + prefix,
                sluiceSettings(parallelism));
        SluiceDrain.SnapshotMeasurement m = SluiceDrain.copy(
                config,
                tableTopic,
                kafka,
                mariadb,
                options.rows(),
                options.heap(),
                options.pipelineJvmOptions(),
                timeout(options.rows()));
        log.info("Reading {} back with a read_committed consumer to check it", tableTopic);
        DrainVerifier.Seen seen =
                DrainVerifier.read(kafka.bootstrapServers(), tableTopic, options.rows(), SNAPSHOT_ROWS);
        PeerComparison.deleteTopics(kafka.bootstrapServers(), prefix);
        return SnapshotSample.of(parallelism, round, counted, options.rows(), m, seen, source);
    }

    /**
     * What the bench sets; everything else stays at Sluice's defaults. Only bench.snap is captured, and the pipeline
     * starts at the binlog's end (BenchConfig's {@code earliest} replays the binlog and requires
     * {@code snapshot.mode: never}); the table's rows are not in the binlog (see {@link SnapshotTable}) anyway, so
     * they can only reach Kafka through the snapshot.
     */
    Map<ConfigKey<?>, Object> sluiceSettings(int parallelism) {
        Map<ConfigKey<?>, Object> m = new LinkedHashMap<>();
        m.put(ConfigKeys.FILTER_INCLUDE, List.of(SnapshotTable.TABLE));
        m.put(ConfigKeys.PIPELINE_START, "latest");
        m.put(ConfigKeys.SNAPSHOT_MODE, "initial");
        m.put(ConfigKeys.SNAPSHOT_PARALLELISM, parallelism);
        if (options.chunkSize() > 0) {
            m.put(ConfigKeys.SNAPSHOT_CHUNK_SIZE, options.chunkSize());
        }
        return m;
    }

    /** Generous: 60 s for start-up plus ten times what 100,000 rows/s would take. */
    static Duration timeout(long rows) {
        return Duration.ofSeconds(60 + rows / 10_000);
    }

    private ObjectNode manifest(MariaDbServer mariadb, KafkaBroker kafka, String git, SnapshotTable.Result table)
            throws Exception {
        int p = options.parallelism().get(0);
        Path example = options.workDir().resolve("sluice-example.yaml");
        BenchConfig.write(example, mariadb, kafka, "snap-pN-rN", "sluice-bench-snap-pN-rN", sluiceSettings(p));
        List<String> flags = new ArrayList<>(List.of("-Xmx" + options.heap(), "-Xlog:gc:file=<run dir>/gc.log"));
        flags.addAll(options.pipelineJvmOptions());
        ObjectNode m = Manifest.collect(mariadb, kafka, workload(table), example, flags, git);
        m.put(
                "sluice_settings_note",
                "shown for parallelism " + p + "; each run sets snapshot.parallelism to its own "
                        + "level, kafka.topic-prefix to snap-p<level>-r<round> and pipeline.name to sluice-bench-<prefix>");
        m.put("mariadb_dump_version", toolVersion(mariadb.binaries().dumpTool()));
        m.put(
                "mariadb_dump_command",
                String.join(" ", MariaDbDump.command(mariadb, SnapshotTable.DATABASE, SnapshotTable.NAME))
                        + " > <work dir>/dump-r<round>.sql");
        return m;
    }

    private ObjectNode workload(SnapshotTable.Result table) {
        ObjectNode w = JSON.createObjectNode();
        w.put("table", SnapshotTable.DDL);
        w.put("rows", table.rows());
        w.put("generate_seconds", table.seconds());
        w.put("innodb_data_bytes", table.dataBytes());
        w.put("innodb_avg_row_bytes", table.averageRowBytes());
        w.put(
                "generation",
                "INSERT ... SELECT from the Sequence engine in batches of " + SnapshotTable.BATCH_ROWS
                        + " rows, sql_log_bin=0 (not in the binlog)");
        w.put("rounds", options.rounds());
        w.set("parallelism", JSON.valueToTree(options.parallelism()));
        w.put("chunk_size", options.chunkSize() > 0 ? Integer.toString(options.chunkSize()) : "Sluice's default");
        return w;
    }

    private static String toolVersion(Path tool) {
        try {
            Process p = new ProcessBuilder(tool.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out;
        } catch (java.io.IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
