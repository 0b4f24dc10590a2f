package dev.sluice.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import dev.sluice.kafka.TopicNames;
import dev.sluice.testkit.RowChecksum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sluice and Debezium side by side on the same backlog and broker: for each workload, a fresh MariaDB with the
 * backlog in its binlog, then rounds of Sluice then Debezium (A B A B ...), each system starting from the first
 * binlog event with its own new topics and state, its run timed until a consumer could read the whole backlog, its
 * table topic read back and checked against the source. The first round is a warm-up of the machine (page cache,
 * broker JIT) and is not counted.
 */
public final class PeerComparison {
    public static final String SLUICE = "sluice";
    public static final String DEBEZIUM = "debezium";
    private static final Logger log = LoggerFactory.getLogger(PeerComparison.class);
    static final long PEER_SERVER_ID_BASE = 5400;

    private final Options options;
    private final String peerClasspath;

    /** The knobs of one comparison; {@code size} says how big each workload's backlog is. */
    public record Options(
            Workload.Size size,
            List<Workload> workloads,
            int rounds,
            Path workDir,
            String heap,
            String peerHeap,
            Path peerDir,
            List<String> pipelineJvmOptions,
            List<String> peerJvmOptions,
            Map<String, String> brokerSettings) {}

    /**
     * One workload's backlog, the source tables' checksums over the columns each system is compared on, and every
     * run over it.
     */
    public record WorkloadRun(
            Workload workload,
            Backlog.Result backlog,
            List<RowChecksum> sluiceSource,
            List<RowChecksum> debeziumSource,
            List<RunSample> samples) {}

    public PeerComparison(Options options) {
        this.options = options;
        this.peerClasspath = DebeziumPeer.classpath(options.peerDir());
    }

    public ComparisonResult run() throws Exception {
        String git = Manifest.gitDescription();
        log.info("Starting a Kafka broker in {}", options.workDir().toAbsolutePath());
        KafkaBroker kafka = KafkaBroker.start(
                options.workDir().resolve("kafka"), Ports.free(), Ports.free(), 512, options.brokerSettings());
        try {
            FreshDatabases.Runs<WorkloadRun> runs = FreshDatabases.each(
                    options.workloads(),
                    options.workDir(),
                    mariadb -> manifest(mariadb, kafka, git),
                    (w, dir, mariadb) -> workload(w, dir, mariadb, kafka));
            return new ComparisonResult(runs.manifest(), options, runs.results());
        } finally {
            kafka.stop();
        }
    }

    private ObjectNode manifest(MariaDbServer mariadb, KafkaBroker kafka, String git) throws Exception {
        Path example = BenchConfig.write(
                options.workDir().resolve("sluice-example.yaml"), mariadb, kafka, "sluice-w-rN", "sluice-bench-w-rN");
        List<String> flags = new ArrayList<>(List.of("-Xmx" + options.heap(), "-Xlog:gc:file=<run dir>/gc.log"));
        flags.addAll(options.pipelineJvmOptions());
        ObjectNode m = Manifest.collect(
                mariadb, kafka, PipelineBench.workloads(options.workloads(), options.size()), example, flags, git);
        m.put("debezium_version", DebeziumPeer.DEBEZIUM_VERSION);
        m.put("peer_classpath", peerClasspath);
        return m;
    }

    private WorkloadRun workload(Workload w, Path dir, MariaDbServer mariadb, KafkaBroker kafka) throws Exception {
        log.info("{} ({}): writing {} row changes", w, w.description(), w.events(options.size()));
        Backlog.Result backlog = Backlog.write(mariadb, w.generator(options.size()));
        WorkloadRun sources = new WorkloadRun(
                w,
                backlog,
                WorkloadCheck.sourceChecksums(mariadb, backlog.tables(), Representation.SLUICE),
                WorkloadCheck.sourceChecksums(mariadb, backlog.tables(), Representation.DEBEZIUM),
                List.of());
        List<RunSample> samples = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            samples.add(sluice(sources, round, dir, mariadb, kafka));
            samples.add(debezium(sources, round, dir, mariadb, kafka));
        }
        return new WorkloadRun(w, backlog, sources.sluiceSource(), sources.debeziumSource(), samples);
    }

    private RunSample sluice(WorkloadRun w, int round, Path dir, MariaDbServer mariadb, KafkaBroker kafka)
            throws Exception {
        String name = w.workload().name().toLowerCase(Locale.ROOT);
        String prefix = "sluice-" + name + "-r" + round;
        String pipelineName = "sluice-bench-" + name + "-r" + round;
        Backlog.Result backlog = w.backlog();
        Path config = BenchConfig.write(
                dir.resolve("sluice-r" + round).resolve("sluice.yaml"), mariadb, kafka, prefix, pipelineName);
        log.info("{} round {}: Sluice", w.workload(), round);
        DrainMeasurement d = SluiceDrain.run(
                config,
                new TopicNames(prefix).positions(),
                pipelineName,
                kafka,
                mariadb,
                backlog,
                options.heap(),
                options.pipelineJvmOptions(),
                PipelineBench.drainTimeout(backlog.events()));
        WorkloadCheck check = WorkloadCheck.read(
                kafka.bootstrapServers(),
                PipelineBench.tableTopics(prefix, backlog),
                backlog,
                w.sluiceSource(),
                Representation.SLUICE);
        RunSample s = new RunSample(
                w.workload().name(),
                SLUICE,
                round,
                round > 1,
                backlog.events(),
                d.seconds(),
                d.sluice().cpuSeconds(),
                d.sluiceThreadCpuSeconds(),
                d.sluice().peakRssBytes(),
                d.gc(),
                d.brokerCpuSeconds(),
                d.mariadbCpuSeconds(),
                check,
                d.exitCode(),
                prefix,
                d.secondsToFirstCommit(),
                steadyRate(d, backlog));
        finish(s, kafka);
        return s;
    }

    private RunSample debezium(WorkloadRun w, int round, Path dir, MariaDbServer mariadb, KafkaBroker kafka)
            throws Exception {
        String name = w.workload().name().toLowerCase(Locale.ROOT);
        String prefix = "dbz-" + name + "-r" + round;
        Backlog.Result backlog = w.backlog();
        // Debezium names a table's topic <prefix>.<database>.<table>; it also writes a tombstone after each delete.
        List<String> tableTopics = backlog.tables().stream()
                .map(t -> prefix + "." + t.qualifiedName())
                .toList();
        long records = backlog.events()
                + Representation.DEBEZIUM.expectedTombstones(
                        backlog.writtenTotal().deletes());
        Path runDir = dir.resolve("debezium-r" + round);
        Files.createDirectories(runDir.resolve("state"));
        Path engine = DebeziumPeer.writeProperties(
                runDir.resolve("engine.properties"),
                DebeziumPeer.engineConfig(
                        "dbz-bench-" + name + "-r" + round,
                        prefix,
                        runDir.resolve("state"),
                        mariadb.host(),
                        Integer.toString(mariadb.port()),
                        Long.toString(PEER_SERVER_ID_BASE + round)));
        Path producer = DebeziumPeer.writeProperties(
                runDir.resolve("producer.properties"), DebeziumPeer.producerConfig(kafka.bootstrapServers()));
        log.info("{} round {}: Debezium", w.workload(), round);
        SluiceDrain.Surroundings before = SluiceDrain.Surroundings.read(kafka, mariadb);
        MeasuredJvm peer = DebeziumPeer.start(
                runDir,
                peerClasspath,
                options.peerHeap(),
                options.peerJvmOptions(),
                engine,
                producer,
                prefix + ".",
                records);
        RunSample s;
        try (TopicWatch watch = new TopicWatch(kafka.bootstrapServers(), tableTopics)) {
            long seenAt = watch.awaitRecords(records, peerTimeout(records), peer::isAlive);
            ProcessStats.Sample sample = ProcessStats.sample(peer.pid());
            Map<String, Double> threads = ProcessStats.threadCpuSeconds(peer.pid());
            SluiceDrain.Surroundings after = SluiceDrain.Surroundings.read(kafka, mariadb);
            double seconds = (seenAt - peer.startedAtMs()) / 1000.0;
            log.info("Debezium drained in {} s; stopping it (SIGTERM)", String.format("%.2f", seconds));
            int exit = peer.stop();
            log.info("Debezium peer summary: {}", DebeziumPeer.stoppedSummary(peer));
            WorkloadCheck check = WorkloadCheck.read(
                    kafka.bootstrapServers(), tableTopics, backlog, w.debeziumSource(), Representation.DEBEZIUM);
            long firstAck = DebeziumPeer.summaryField(peer, "first_ack_ms");
            s = new RunSample(
                    w.workload().name(),
                    DEBEZIUM,
                    round,
                    round > 1,
                    backlog.events(),
                    seconds,
                    sample.cpuSeconds(),
                    threads,
                    sample.peakRssBytes(),
                    peer.gcLog(),
                    after.broker().cpuSince(before.broker()),
                    after.mariadb().cpuSince(before.mariadb()),
                    check,
                    exit,
                    prefix,
                    (firstAck - peer.startedAtMs()) / 1000.0,
                    backlog.events() * 1000.0 / (DebeziumPeer.summaryField(peer, "drained_at_ms") - firstAck));
        } catch (RuntimeException e) {
            peer.stop();
            throw new IllegalStateException(
                    e.getMessage() + "\nLast lines of " + peer.log() + ":\n" + peer.tail(30), e);
        }
        finish(s, kafka);
        return s;
    }

    /** Backlog events committed after the first commit, over the time from the first commit to the last. */
    private static double steadyRate(DrainMeasurement d, Backlog.Result backlog) {
        long covered = backlog.eventsCoveredBy(d.commits().get(0).sequence());
        return (backlog.events() - covered) / d.firstToLastCommitSeconds();
    }

    /** Logs the run and deletes its topics, so the next run starts on a broker without them. */
    private static void finish(RunSample s, KafkaBroker kafka) {
        log.info(
                "{} {} round {}: {} events/s, {} CPU-s per 1M events, check {}",
                s.workload(),
                s.system(),
                s.round(),
                String.format("%,.0f", s.eventsPerSecond()),
                String.format("%.1f", s.cpuSecondsPerMillion()),
                s.check().summary());
        deleteTopics(kafka.bootstrapServers(), s.topicPrefix());
    }

    static void deleteTopics(String bootstrapServers, String prefix) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> mine = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.equals(prefix) || t.startsWith(prefix + "."))
                    .collect(Collectors.toSet());
            admin.deleteTopics(mine).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Could not delete the topics of {}: {}", prefix, e.toString());
        }
    }

    /** Generous for a peer expected to be slower: two minutes plus 2,000 records/s. */
    private static Duration peerTimeout(long records) {
        return Duration.ofSeconds(120 + records / 2_000);
    }
}
