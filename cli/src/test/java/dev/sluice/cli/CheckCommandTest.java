package dev.sluice.cli;

import static dev.sluice.config.ConfigKeys.KAFKA_BOOTSTRAP_SERVERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.failure.ExitCode;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sluice check} checks the source, then Kafka, and names what is wrong with Kafka within seconds. */
class CheckCommandTest {
    /** Well under a Kafka client's own 30 s: the check's connect and answer bounds plus a JVM's slack. */
    private static final long BOUND_MS = 15_000;

    private final MariaDbServer source = TestServers.mariadb114();

    @Test
    void aReadySourceAndKafkaPass() throws Exception {
        Output ok = check(TestConfigs.forDatabase(source, "check_ok"));
        assertEquals(0, ok.exitCode(), ok.text());
        assertTrue(
                ok.text().contains("OK: Kafka at " + TestServers.kafka().bootstrapServers() + " is cluster "),
                ok.text());
    }

    @Test
    void oneDeadBootstrapAddressBesideALiveOneIsFine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(source, "check_one_dead");
        settings.put(
                KAFKA_BOOTSTRAP_SERVERS,
                "127.0.0.1:" + closed + "," + TestServers.kafka().bootstrapServers());
        Output ok = check(settings);
        assertEquals(0, ok.exitCode(), ok.text());
    }

    @Test
    void kafkaProblemsAreNamedWithinSeconds() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertKafkaError("127.0.0.1:" + closed, "connection refused");
        assertKafkaError("no-such-host.invalid:9092", "unknown host 'no-such-host.invalid'");
        assertKafkaError("127.0.0.1:" + closed + ",no-such-host.invalid:9092", "no bootstrap address answers");
        // A port that answers but is not Kafka: the source database's own.
        assertKafkaError("127.0.0.1:" + source.port(), "did not answer as a Kafka broker");
    }

    private void assertKafkaError(String bootstrap, String expected) throws Exception {
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(source, "check_bad");
        settings.put(KAFKA_BOOTSTRAP_SERVERS, bootstrap);
        long start = System.nanoTime();
        Output bad = check(settings);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ExitCode.UNREACHABLE.code(), bad.exitCode(), bad.text());
        assertTrue(bad.text().contains(expected), bootstrap + ": " + bad.text());
        assertTrue(bad.text().contains("kafka") || bad.text().contains("Kafka"), bad.text());
        assertFalse(bad.text().contains("Exception"), "no stack trace or exception name: " + bad.text());
        assertTrue(tookMs < BOUND_MS, bootstrap + " took " + tookMs + " ms");
    }

    private static Output check(Map<ConfigKey<?>, Object> settings) throws Exception {
        Path dir = Files.createDirectories(TestServers.directory("check"));
        Path yaml = TestConfigs.writeYaml(settings, dir.resolve("check-" + System.nanoTime() + ".yaml"));
        return Output.capture(() -> Main.execute("check", "--config", yaml.toString()));
    }
}
