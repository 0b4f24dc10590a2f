package dev.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), run from the {@code kafka_2.13}
 * jars on the class path as a child JVM, on loopback only. Single-node settings follow MACHINE-FACTS.md: without
 * replication factor 1 for the offsets and transaction-state topics, {@code initTransactions()} hangs. Also one
 * node of a {@link KafkaCluster} (see {@link Node}).
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    private final Path dir;
    private final int port;
    private final ChildProcess process;
    private final Map<String, String> settings;

    private KafkaBroker(Path dir, int port, ChildProcess process, Map<String, String> settings) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.settings = settings;
    }

    /**
     * Starts a broker on {@code dir}, formatting its storage first if it is new. A restart on the same directory
     * must use the same ports (the controller's address is part of the formatted metadata).
     */
    public static KafkaBroker start(Path dir, int port, int controllerPort, int heapMb) {
        return start(dir, port, controllerPort, heapMb, Map.of());
    }

    /**
     * As {@link #start(Path, int, int, int)}, with broker settings of the caller's added to (or replacing) the
     * defaults, e.g. to measure a tuning; the topology's own settings (roles, listeners, log directory) cannot be.
     */
    public static KafkaBroker start(Path dir, int port, int controllerPort, int heapMb, Map<String, String> settings) {
        return startSingle(dir, port, controllerPort, heapMb, port, settings);
    }

    /**
     * A single broker that tells clients to connect to {@code advertisedPort} (a proxy forwarding to {@code port}),
     * so a test can cut or stall every client link to it. The proxy must be listening first.
     */
    public static KafkaBroker startAdvertising(Path dir, int port, int controllerPort, int heapMb, int advertisedPort) {
        return startSingle(dir, port, controllerPort, heapMb, advertisedPort, Map.of());
    }

    private static KafkaBroker startSingle(
            Path dir, int port, int controllerPort, int heapMb, int advertisedPort, Map<String, String> settings) {
        long started = System.nanoTime();
        KafkaBroker broker = launch(
                dir,
                new Node(1, port, controllerPort, controllerPort, true, 1, advertisedPort),
                Uuid.randomUuid().toString(),
                heapMb,
                settings);
        broker.awaitReady(1);
        log.info(
                "Kafka broker ready on 127.0.0.1:{} in {} ms (logs in {}){}",
                port,
                (System.nanoTime() - started) / 1_000_000,
                broker.dir,
                settings.isEmpty() ? "" : ", with " + settings);
        return broker;
    }

    /**
     * One node of a cluster with a single-voter KRaft quorum ({@link KafkaCluster}): the controller node is broker
     * and controller, the others are brokers only and find the quorum at {@code quorumPort}. {@code clusterSize}
     * sets the replication of the internal topics (offsets, transaction state): up to 3, min ISR up to 2.
     */
    record Node(
            int id,
            int port,
            int controllerPort,
            int quorumPort,
            boolean controller,
            int clusterSize,
            int advertisedPort) {
        Node(int id, int port, int controllerPort, int quorumPort, boolean controller, int clusterSize) {
            this(id, port, controllerPort, quorumPort, controller, clusterSize, port);
        }

        int internalReplication() {
            return Math.min(3, clusterSize);
        }

        int internalMinIsr() {
            return Math.min(2, clusterSize);
        }

        String listeners() {
            return listeners(port);
        }

        /** What clients are told to connect to: the listener itself, or a proxy in front of it (fault tests). */
        String advertisedListeners() {
            return listeners(advertisedPort);
        }

        private String listeners(int clientPort) {
            return "PLAINTEXT://127.0.0.1:" + clientPort
                    + (controller ? ",CONTROLLER://127.0.0.1:" + controllerPort : "");
        }
    }

    /** Formats the node's storage if it is new and starts its JVM; the caller then waits with {@link #awaitReady}. */
    static KafkaBroker launch(Path dir, Node node, String clusterId, int heapMb, Map<String, String> settings) {
        Path abs = dir.toAbsolutePath();
        for (int p : node.controller() ? new int[] {node.port(), node.controllerPort()} : new int[] {node.port()}) {
            if (!Ports.isFree(p)) {
                throw new IllegalStateException("Port " + p + " for the Kafka broker in " + abs + " is in use");
            }
        }
        Path properties = writeConfig(abs, node, settings);
        if (!Files.exists(abs.resolve("data/meta.properties"))) {
            format(abs, properties, node.controller(), clusterId);
        }
        ChildProcess process = ChildProcess.start(
                javaCommand(abs, heapMb, "kafka.Kafka", properties.toString()),
                abs.resolve("broker.out"),
                "Kafka broker");
        return new KafkaBroker(abs, node.port(), process, Map.copyOf(settings));
    }

    /** The controller formats as the quorum's one initial voter ({@code --standalone}); a broker-only node needs none. */
    private static void format(Path dir, Path properties, boolean controller, String clusterId) {
        List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", properties.toString()));
        if (controller) {
            args.add("--standalone");
        }
        ChildProcess.runToCompletion(
                javaCommand(dir, 256, "kafka.tools.StorageTool", args.toArray(String[]::new)),
                dir.resolve("format.log"),
                "Kafka storage format");
    }

    /** Settings that make the node what it is in the topology; a caller's setting may not replace them. */
    private static final Set<String> TOPOLOGY_SETTINGS = Set.of(
            "process.roles",
            "node.id",
            "controller.quorum.bootstrap.servers",
            "controller.quorum.voters",
            "listeners",
            "advertised.listeners",
            "controller.listener.names",
            "inter.broker.listener.name",
            "listener.security.protocol.map",
            "log.dirs",
            "log.dir");

    private static Path writeConfig(Path dir, Node node, Map<String, String> settings) {
        settings.keySet().stream()
                .filter(TOPOLOGY_SETTINGS::contains)
                .findFirst()
                .ifPresent(key -> {
                    throw new IllegalArgumentException("The broker setting " + key
                            + " is set by the harness (the node's " + "roles, listeners and directory); leave it out");
                });
        String config = String.join(
                "\n",
                "process.roles=" + (node.controller() ? "broker,controller" : "broker"),
                "node.id=" + node.id(),
                "controller.quorum.bootstrap.servers=127.0.0.1:" + node.quorumPort(),
                "listeners=" + node.listeners(),
                "advertised.listeners=" + node.advertisedListeners(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=" + node.internalReplication(),
                "transaction.state.log.replication.factor=" + node.internalReplication(),
                "transaction.state.log.min.isr=" + node.internalMinIsr(),
                "share.coordinator.state.topic.replication.factor=" + node.internalReplication(),
                "share.coordinator.state.topic.min.isr=" + node.internalMinIsr(),
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "num.partitions=1",
                "");
        // Later lines win in a properties file: the caller's settings replace the defaults above.
        StringBuilder extra = new StringBuilder();
        settings.forEach(
                (key, value) -> extra.append(key).append('=').append(value).append('\n'));
        config += extra;
        String logback = """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level %%logger{0} - %%msg%%n</pattern></encoder>
                  </appender>
                  <logger name="kafka" level="INFO"/>
                  <logger name="org.apache.kafka" level="WARN"/>
                  <root level="WARN"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(dir.resolve("broker.log"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("logback-broker.xml"), logback);
            return Files.writeString(dir.resolve("server.properties"), config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the broker config in " + dir, e);
        }
    }

    private static List<String> javaCommand(Path dir, int heapMb, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Classpath.javaExecutable().toString(),
                "-Xms" + heapMb + "m",
                "-Xmx" + heapMb + "m",
                "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + dir.resolve("logback-broker.xml"),
                "-cp",
                Classpath.current(),
                mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Waits until this node answers and sees at least {@code nodes} brokers in the cluster. */
    void awaitReady(int nodes) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("request.timeout.ms", "2000");
        props.put("default.api.timeout.ms", "2000");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "The Kafka broker exited during startup:\n" + ChildProcess.tail(dir.resolve("broker.out"))
                                    + "\n" + ChildProcess.tail(dir.resolve("broker.log")));
                }
                try {
                    if (admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).size() >= nodes) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not listening yet
                }
                ChildProcess.pause(100, "the Kafka broker");
            }
        }
        process.kill();
        throw new IllegalStateException(
                "The Kafka broker did not become ready within 90 s:\n" + ChildProcess.tail(dir.resolve("broker.log")));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The settings this broker was started with on top of Kafka's defaults (empty: Kafka's own). */
    public Map<String, String> settings() {
        return settings;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public void stop() {
        process.stop();
    }

    public void kill() {
        process.kill();
    }

    public void pause() {
        process.signal("STOP");
    }

    public void resume() {
        process.signal("CONT");
    }

    @Override
    public void close() {
        stop();
    }
}
