package dev.sluice.bench;

import dev.sluice.embedded.Classpath;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loader's load of one workload's topics: a fresh PostgreSQL database; the loader in its own JVM; wait until the
 * target holds everything (Sluice: its stored offsets reach the topics' last records; the others say so on their
 * output); read the processes' CPU and memory while the loader is still alive; stop it; compare target and source
 * ({@link TargetCheck}); drop the database.
 */
final class LoadRun {
    private static final Logger log = LoggerFactory.getLogger(LoadRun.class);
    private static final long POLL_MS = 50;

    /** A workload's topics, as every loader of it reads them. */
    record Topics(
            Workload workload,
            Backlog.Result backlog,
            MariaDbServer mariadb,
            KafkaBroker kafka,
            String sluicePrefix,
            List<String> sluiceTopics,
            Map<TopicPartition, Long> sluiceNext,
            DebeziumTopics debezium) {}

    private final Topics topics;
    private final LoadBench.Options options;
    private final Path dir;

    LoadRun(Topics topics, LoadBench.Options options, Path dir) {
        this.topics = topics;
        this.options = options;
        this.dir = dir;
    }

    LoadSample run(LoadSystem system, int run, boolean counted) throws Exception {
        String name = "bench_load_" + topics.workload().name() + "_" + system.code() + run;
        Path runDir = dir.resolve(system.code() + "-r" + run);
        Files.createDirectories(runDir);
        log.info("{} run {}: {}", topics.workload(), run, system.label());
        try (TestPostgres db = TestPostgres.freshDatabase(name.toLowerCase(Locale.ROOT));
                Connection pg = db.connect();
                Connection source = topics.mariadb().connect()) {
            if (system.isBaseline()) {
                BaselineTargets.create(source, pg, topics.backlog().tables());
            }
            PostgresCpu postgres = PostgresCpu.before(pg);
            ProcessStats.Sample broker = ProcessStats.sample(topics.kafka().pid());
            MeasuredJvm jvm = launch(system, runDir, db, run);
            try {
                long doneAtMs = awaitDone(system, jvm, pg);
                ProcessStats.Sample loader = ProcessStats.sample(jvm.pid());
                Map<String, Double> threads = ProcessStats.threadCpuSeconds(jvm.pid());
                double postgresCpu = postgres.since(pg, db.database());
                double brokerCpu = ProcessStats.sample(topics.kafka().pid()).cpuSince(broker);
                String loadAverage = Manifest.loadAverage();
                int exit = jvm.stop();
                long readyAt = readyAtMs(system, jvm);
                TargetCheck check = TargetCheck.compare(
                        source,
                        pg,
                        topics.backlog().tables(),
                        system == LoadSystem.DEBEZIUM ? Representation.DEBEZIUM : Representation.SLUICE);
                LoadSample s = new LoadSample(
                        topics.workload(),
                        system,
                        run,
                        counted,
                        topics.backlog().events(),
                        (doneAtMs - jvm.startedAtMs()) / 1000.0,
                        readyAt < 0 ? Double.NaN : (readyAt - jvm.startedAtMs()) / 1000.0,
                        loader.cpuSeconds(),
                        threads,
                        postgresCpu,
                        brokerCpu,
                        jvm.gcLog(),
                        loader.peakRssBytes(),
                        copySeconds(jvm),
                        exit,
                        check,
                        loadAverage);
                log.info(
                        "{} run {} {}: {} events/s, {} CPU-s per 1M events (PostgreSQL {}), peak heap {} MiB, check {}",
                        topics.workload(),
                        run,
                        system.label(),
                        String.format("%,.0f", s.eventsPerSecond()),
                        String.format("%.1f", s.perMillion(s.loaderCpuSeconds())),
                        String.format("%.1f", s.perMillion(s.postgresCpuSeconds())),
                        s.gc().peakUsedBytes() >> 20,
                        check.summary());
                return s;
            } catch (RuntimeException e) {
                jvm.stop();
                throw new IllegalStateException(
                        e.getMessage() + "\nLast lines of " + jvm.log() + ":\n" + jvm.tail(30), e);
            }
        }
    }

    private MeasuredJvm launch(LoadSystem system, Path runDir, TestPostgres db, int run) {
        return switch (system) {
            case SLUICE ->
                MeasuredJvm.launch(
                        "sluice load",
                        runDir,
                        "loader.log",
                        options.heap(),
                        options.loaderJvmOptions(),
                        LoaderClasspath.of(options.repository()),
                        List.of(
                                "dev.sluice.cli.Main",
                                "load",
                                "--config",
                                loadConfig(runDir, db, run).toString(),
                                "--progress-seconds",
                                "5"));
            case DEBEZIUM -> topics.debezium().startSink(runDir, db, run, options);
            default -> {
                List<String> args = new ArrayList<>(List.of(
                        BaselineLoad.class.getName(),
                        system.baselineMode(),
                        topics.kafka().bootstrapServers(),
                        topics.sluicePrefix(),
                        db.url(),
                        Integer.toString(options.batchEvents())));
                args.addAll(topics.sluiceTopics());
                yield MeasuredJvm.launch(
                        system.description(),
                        runDir,
                        "loader.log",
                        options.heap(),
                        List.of(),
                        Classpath.current(),
                        args);
            }
        };
    }

    /** Sluice's loader with its defaults: only where to read, where to write and its name are set. */
    private Path loadConfig(Path runDir, TestPostgres db, int run) {
        String yaml = "# Written by `sluice bench load`.\n"
                + "kafka.bootstrap-servers: \"" + topics.kafka().bootstrapServers() + "\"\n"
                + "kafka.topic-prefix: \"" + topics.sluicePrefix() + "\"\n"
                + "filter.include: [\"bench.*\"]\n"
                + "target.type: \"postgresql\"\n"
                + "target.url: \"" + db.url() + "\"\n"
                + "target.user: \"postgres\"\n"
                + "target.password: \"\"\n"
                + "load.name: \"bench-load-" + topics.workload().name().toLowerCase(Locale.ROOT) + "-r" + run + "\"\n"
                + "load.admin-port: \"0\"\n";
        try {
            return Files.writeString(runDir.resolve("load.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long awaitDone(LoadSystem system, MeasuredJvm jvm, Connection pg) throws Exception {
        long deadline = System.nanoTime() + timeout().toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Long> done = system == LoadSystem.SLUICE ? sluiceDone(pg) : reportedDone(system, jvm);
            if (done.isPresent()) {
                return done.get();
            }
            if (!jvm.isAlive()) {
                throw new IllegalStateException(
                        system.label() + " exited (code " + jvm.stop() + ") before the " + "target held every change");
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException(system.label() + " did not load "
                + topics.backlog().events() + " events within " + timeout().toSeconds() + " s");
    }

    /** Sluice's stored offsets have reached every partition's last record. */
    private Optional<Long> sluiceDone(Connection pg) throws SQLException {
        Map<TopicPartition, Long> stored = new HashMap<>();
        try (Statement st = pg.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT topic, kafka_partition, next_offset FROM public._sluice_offsets")) {
            while (rs.next()) {
                stored.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        } catch (SQLException notYet) {
            if ("42P01".equals(notYet.getSQLState())) {
                return Optional.empty(); // the loader has not created its tables yet
            }
            throw notYet;
        }
        long now = System.currentTimeMillis();
        boolean all = topics.sluiceNext().entrySet().stream()
                .allMatch(e -> stored.getOrDefault(e.getKey(), 0L) >= e.getValue());
        return all ? Optional.of(now) : Optional.empty();
    }

    /** The hand-written loaders print LOADED, Debezium's sink PEER-APPLIED, each with the epoch ms it was done. */
    private static Optional<Long> reportedDone(LoadSystem system, MeasuredJvm jvm) {
        String marker = system == LoadSystem.DEBEZIUM ? "PEER-APPLIED " : BaselineLoad.LOADED;
        for (String line : jvm.lines()) {
            if (line.startsWith("PEER-FAILED ")) {
                throw new IllegalStateException(system.label() + " failed: " + line);
            }
            if (line.startsWith(marker)) {
                return Optional.of(
                        Long.parseLong(line.substring(marker.length()).split(" ")[0]));
            }
        }
        return Optional.empty();
    }

    /**
     * When the loader's start-up ended and it began to read changes, in epoch ms: the hand-written loaders print it at
     * their first record; Sluice logs "Worker N: loading ... partition(s)" once it owns its partitions (its log times
     * are this machine's local time of day); Debezium's sink prints PEER-RUNNING when Connect runs the task (Hibernate
     * still starts after it). -1 if not found.
     */
    private static long readyAtMs(LoadSystem system, MeasuredJvm jvm) {
        for (String line : jvm.lines()) {
            if (system == LoadSystem.SLUICE && line.contains("LoadWorker - Worker") && line.contains(" partition(s)")) {
                java.time.LocalTime time = java.time.LocalTime.parse(line.substring(0, 12));
                java.time.ZonedDateTime launched =
                        java.time.Instant.ofEpochMilli(jvm.startedAtMs()).atZone(java.time.ZoneId.systemDefault());
                return launched.with(time).toInstant().toEpochMilli();
            }
            String marker = system == LoadSystem.DEBEZIUM ? "PEER-RUNNING " : BaselineLoad.READING;
            if (system != LoadSystem.SLUICE && line.startsWith(marker)) {
                return Long.parseLong(line.substring(marker.length()).trim().split(" ")[0]);
            }
        }
        return -1;
    }

    private static double copySeconds(MeasuredJvm jvm) {
        for (String line : jvm.lines()) {
            if (line.startsWith(BaselineLoad.LOADED)) {
                String[] f = line.split(" ");
                return f.length > 3 ? Double.parseDouble(f[3]) : 0;
            }
        }
        return 0;
    }

    /**
     * Generous for the slowest loader on a shared machine: two minutes plus 100 events/s (row by row ran at under
     * 200 events/s here while other builds used the cores and the same PostgreSQL).
     */
    private Duration timeout() {
        return Duration.ofSeconds(120 + topics.backlog().events() / 100);
    }
}
