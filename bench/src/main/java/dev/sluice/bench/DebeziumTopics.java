package dev.sluice.bench;

import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What loader (d), Debezium's JDBC sink, reads: Debezium's own change topics of the same backlog, written once per
 * workload by the Debezium peer of {@code bench peer} (peer/debezium) from the same binlog, with the JSON
 * converter's schemas on (the sink needs them); and the sink itself, peer/debezium-jdbc's {@code SinkDrain}: a Kafka
 * Connect standalone worker with {@code io.debezium:debezium-connector-jdbc}, upsert mode, deletes on, batching on.
 * See peer/debezium-jdbc/README.md for every setting.
 */
final class DebeziumTopics {
    private static final Logger log = LoggerFactory.getLogger(DebeziumTopics.class);
    private static final String SINK_MAIN = "dev.sluice.peer.jdbc.SinkDrain";

    private final Workload workload;
    private final String prefix;
    private final List<String> topics;
    private final long records;
    private final String sinkClasspath;
    private final String bootstrapServers;

    private DebeziumTopics(
            Workload workload,
            String prefix,
            List<String> topics,
            long records,
            String sinkClasspath,
            String bootstrapServers) {
        this.workload = workload;
        this.bootstrapServers = bootstrapServers;
        this.prefix = prefix;
        this.topics = topics;
        this.records = records;
        this.sinkClasspath = sinkClasspath;
    }

    String prefix() {
        return prefix;
    }

    /** Debezium's capture of the backlog into {@code dbz-load-<workload>.bench.*}, until Kafka holds every record. */
    static DebeziumTopics produce(
            Workload w, Backlog.Result backlog, MariaDbServer mariadb, KafkaBroker kafka, Path dir, LoadBench.Options o)
            throws Exception {
        String name = w.name().toLowerCase(Locale.ROOT);
        String prefix = "dbz-load-" + name;
        List<String> topics = backlog.tables().stream()
                .map(t -> prefix + "." + t.qualifiedName())
                .toList();
        long records = backlog.events()
                + Representation.DEBEZIUM.expectedTombstones(
                        backlog.writtenTotal().deletes());
        Path runDir = dir.resolve("debezium-capture");
        Files.createDirectories(runDir.resolve("state"));
        Map<String, String> engine = DebeziumPeer.engineConfig(
                "dbz-load-" + name,
                prefix,
                runDir.resolve("state"),
                mariadb.host(),
                Integer.toString(mariadb.port()),
                Long.toString(PeerComparison.PEER_SERVER_ID_BASE + 50));
        // The JDBC sink needs each record's schema: all three keys, since key./value. override the plain one.
        engine.put("converter.schemas.enable", "true");
        engine.put("key.converter.schemas.enable", "true");
        engine.put("value.converter.schemas.enable", "true");
        Path engineFile = DebeziumPeer.writeProperties(runDir.resolve("engine.properties"), engine);
        Path producer = DebeziumPeer.writeProperties(
                runDir.resolve("producer.properties"), DebeziumPeer.producerConfig(kafka.bootstrapServers()));
        log.info("{}: Debezium captures the backlog into {}.* for loader (d)", w, prefix);
        MeasuredJvm peer = DebeziumPeer.start(
                runDir,
                DebeziumPeer.classpath(o.repository().resolve("peer").resolve("debezium")),
                o.peerHeap(),
                List.of(),
                engineFile,
                producer,
                prefix + ".",
                records);
        try (TopicWatch watch = new TopicWatch(kafka.bootstrapServers(), topics)) {
            watch.awaitRecords(records, Duration.ofSeconds(120 + records / 2_000), peer::isAlive);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    e.getMessage() + "\nLast lines of " + peer.log() + ":\n" + peer.tail(30), e);
        } finally {
            peer.stop();
        }
        return new DebeziumTopics(w, prefix, topics, records, sinkClasspath(o.repository()), kafka.bootstrapServers());
    }

    /** The sink in its own JVM, loading the topics into schema {@code bench} of {@code db}. */
    MeasuredJvm startSink(Path runDir, TestPostgres db, int run, LoadBench.Options o) {
        List<String> args = new ArrayList<>(List.of(
                SINK_MAIN,
                "--dir",
                runDir.toAbsolutePath().toString(),
                "--name",
                "jdbc-load-" + workload.name().toLowerCase(Locale.ROOT) + "-r" + run,
                "--bootstrap-servers",
                bootstrapServers,
                "--topics-regex",
                prefix.replace("-", "\\-") + "\\.bench\\..*",
                "--jdbc-url",
                db.url(),
                "--jdbc-user",
                "postgres",
                "--jdbc-password",
                "",
                "--schema",
                "bench",
                "--batch-size",
                Integer.toString(o.debeziumBatchSize()),
                "--expected",
                Long.toString(records)));
        if (workload == Workload.W3) {
            // Its PostgreSQL BIT(n) writer fails on a high bit (peer/debezium-jdbc/README.md): leave BIT(8) out.
            args.addAll(List.of("--set", "field.exclude.list=flags"));
        }
        return MeasuredJvm.launch(
                "Debezium JDBC sink", runDir, "loader.log", o.peerHeap(), List.of(), sinkClasspath, args);
    }

    List<String> topics() {
        return topics;
    }

    private static String sinkClasspath(Path repository) {
        Path target = repository.resolve("peer").resolve("debezium-jdbc").resolve("target");
        Path jar = target.resolve("sluice-peer-debezium-jdbc.jar");
        Path deps = target.resolve("classpath.txt");
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(deps)) {
            throw new IllegalStateException("Debezium's JDBC sink peer is not built (no " + jar + "). Build it once "
                    + "with:\n  mvn -B -q -f peer/debezium-jdbc/pom.xml -DskipTests package");
        }
        try {
            return jar + java.io.File.pathSeparator + Files.readString(deps).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
