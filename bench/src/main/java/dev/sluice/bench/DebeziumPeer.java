package dev.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Debezium's side of the comparison: where its separately built class path is, and the configuration of one run,
 * written as the two properties files the peer JVM ({@code dev.sluice.peer.debezium.PeerDrain}) reads. The settings
 * are those a production user of the embedded engine would choose for this job; see docs/benchmarks.md, "Sluice vs
 * Debezium", for why each is set.
 */
public final class DebeziumPeer {
    public static final String MAIN_CLASS = "dev.sluice.peer.debezium.PeerDrain";
    public static final String DEBEZIUM_VERSION = "3.5.0.Final";
    private static final String JAR = "sluice-peer-debezium.jar";

    private DebeziumPeer() {}

    /** The peer's class path: its jar and its dependencies, as {@code mvn -f peer/debezium/pom.xml package} wrote. */
    public static String classpath(Path peerDir) {
        Path target = peerDir.resolve("target");
        Path jar = target.resolve(JAR);
        Path deps = target.resolve("classpath.txt");
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(deps)) {
            throw new IllegalStateException("The Debezium peer is not built (no " + jar + " or " + deps + "). Build "
                    + "it once with:\n  mvn -B -q -f " + peerDir.resolve("pom.xml") + " -DskipTests package\n(it "
                    + "downloads Debezium " + DEBEZIUM_VERSION + " from Maven Central the first time), or point "
                    + "--peer-dir at a built copy.");
        }
        try {
            return jar + java.io.File.pathSeparator + Files.readString(deps).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code peer/debezium} of the checkout these classes were built from (bench/target/sluice-bench.jar or classes). */
    public static Path defaultDir() {
        try {
            Path code = Path.of(DebeziumPeer.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return code.toAbsolutePath()
                    .getParent()
                    .getParent()
                    .getParent()
                    .resolve("peer")
                    .resolve("debezium");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("peer", "debezium").toAbsolutePath();
        }
    }

    /**
     * The engine and connector settings of one run. {@code name} names the engine (and its offsets) and
     * {@code topicPrefix} its topics; {@code stateDir} must be new, so the run starts with no offsets and no schema
     * history and reads the binlog from its first event, as Sluice's {@code pipeline.start: earliest} does.
     */
    public static Map<String, String> engineConfig(
            String name, String topicPrefix, Path stateDir, String host, String port, String serverId) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        c.put("database.hostname", host);
        c.put("database.port", port);
        c.put("database.user", "root");
        c.put("database.password", "");
        c.put("database.server.id", serverId);
        c.put("database.ssl.mode", "disable");
        c.put("topic.prefix", topicPrefix);
        c.put("database.include.list", "bench");
        // No snapshot: stream the binlog from its first event. The bench server's binlog holds its whole history
        // (CREATE DATABASE, CREATE TABLE, the backlog), which is the case Debezium documents `never` for.
        c.put("snapshot.mode", "never");
        c.put("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        c.put(
                "schema.history.internal.file.filename",
                stateDir.resolve("schema-history.dat").toString());
        c.put("schema.history.internal.store.only.captured.tables.ddl", "true");
        c.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        c.put("offset.storage.file.filename", stateDir.resolve("offsets.dat").toString());
        c.put("offset.flush.interval.ms", "60000");
        // JSON without the schema block: the same information as Sluice's envelope, which has no schema block.
        c.put("converter.schemas.enable", "false");
        c.put("key.converter.schemas.enable", "false");
        c.put("value.converter.schemas.enable", "false");
        return c;
    }

    /** The peer's KafkaProducer: durable like Sluice's (acks=all, idempotent), with Sluice's batching. */
    public static Map<String, String> producerConfig(String bootstrapServers) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("bootstrap.servers", bootstrapServers);
        c.put("acks", "all");
        c.put("enable.idempotence", "true");
        c.put("linger.ms", "5");
        c.put("batch.size", "262144");
        c.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        c.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        return c;
    }

    public static Path writeProperties(Path file, Map<String, String> config) {
        Properties p = new Properties();
        p.putAll(config);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "Written by `sluice bench peer`");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /**
     * The peer in its own JVM, on its own class path (none of it is on Sluice's); its log is {@code peer.log}. It
     * reports when Kafka has acknowledged {@code records} records of topics whose names start with
     * {@code tableTopicPrefix} (the table topics: {@code <topic.prefix>.}).
     */
    static MeasuredJvm start(
            Path dir,
            String classpath,
            String heap,
            List<String> extraJvmFlags,
            Path engineConfig,
            Path producerConfig,
            String tableTopicPrefix,
            long records) {
        return MeasuredJvm.launch(
                "Debezium peer",
                dir,
                "peer.log",
                heap,
                extraJvmFlags,
                classpath,
                List.of(
                        MAIN_CLASS,
                        engineConfig.toString(),
                        producerConfig.toString(),
                        tableTopicPrefix,
                        Long.toString(records)));
    }

    /** The peer's own summary line ({@code PEER-STOPPED {...}}), after it stopped; empty if it printed none. */
    static String stoppedSummary(MeasuredJvm peer) {
        for (String line : peer.lines()) {
            if (line.startsWith("PEER-STOPPED ")) {
                return line.substring("PEER-STOPPED ".length());
            }
        }
        return "";
    }

    /** A number field of the summary line, or 0. */
    static long summaryField(MeasuredJvm peer, String name) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"" + name + "\":(\\d+)").matcher(stoppedSummary(peer));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
