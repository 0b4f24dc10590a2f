package dev.sluice.faults;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import dev.sluice.testkit.Invariants;
import dev.sluice.testkit.Invariants.Expected;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TcpProxy;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * T20: one pipeline process lives through cycles of mixed faults under a steady workload — the Kafka broker killed
 * -9 and restarted, the database link blackholed past the stall timeout, the database link reset — for
 * {@code -Dsluice.soak.minutes} (default 20). After every cycle a fence must arrive (I7) and the process's threads,
 * open file descriptors and resident memory are sampled; at the end they must be flat and the output must satisfy
 * I1–I6. Long: {@code mvn -Pslow test -Dtest=SoakTest}.
 */
@Tag("slow")
class SoakTest {
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /** Three heartbeat intervals (source.heartbeat-seconds 5) plus margin: the pipeline must notice by itself. */
    private static final Duration BLACKHOLE = Duration.ofSeconds(20);

    /** What one sample of the pipeline process looked like. */
    private record Sample(int cycle, long threads, long fds, long rssKb) {}

    @Test
    void mixedFaultsForMinutesKeepEveryInvariantAndTheProcessFlat() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("sluice.soak.minutes", 20));
        long seed = Long.getLong("sluice.test.seed", System.nanoTime());
        System.out.println("SoakTest seed " + seed + ", " + length.toMinutes() + " min");
        MariaDbServer server = TestServers.mariadb114();
        Workload workload = new Workload(server, TestServers.uniqueName("soak"), seed).throttled(50);
        workload.createTables();
        String db = workload.database();
        Path brokerDir = TestServers.directory("kafka-t20");
        int port = Ports.free();
        int controllerPort = Ports.free();
        KafkaBroker broker = KafkaBroker.start(brokerDir, port, controllerPort, 256);
        List<Sample> samples = new ArrayList<>();
        try (TcpProxy databaseLink = TcpProxy.start(server.host(), server.port());
                TopicReader topics = new TopicReader(
                        broker.bootstrapServers(), Pattern.compile(Pattern.quote("t_" + db + "." + db + ".") + ".*"))) {
            Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
            settings.put(ConfigKeys.SOURCE_PORT, databaseLink.port());
            settings.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers());
            settings.put(ConfigKeys.KAFKA_CONNECT_RETRY_SECONDS, 120);
            settings.put(ConfigKeys.SOURCE_CONNECT_RETRY_SECONDS, 120);
            try (SluiceProcess pipeline = SluiceProcess.run(
                    TestConfigs.writeYaml(settings, TestServers.directory("cfg").resolve("sluice.yaml")))) {
                pipeline.awaitOutput("No committed position", Duration.ofSeconds(60));
                Thread writing = new Thread(workload, "soak-workload");
                writing.start();
                long end = System.nanoTime() + length.toNanos();
                for (int cycle = 1; System.nanoTime() < end; cycle++) {
                    Invariants.awaitFence(workload, topics);
                    broker.kill();
                    Thread.sleep(OUTAGE.toMillis()); // the fault's length, not a wait for a result
                    broker = KafkaBroker.start(brokerDir, port, controllerPort, 256);
                    Invariants.awaitFence(workload, topics);
                    databaseLink.blackhole();
                    Thread.sleep(BLACKHOLE.toMillis()); // the fault's length
                    databaseLink.heal();
                    Invariants.awaitFence(workload, topics);
                    databaseLink.resetAll();
                    Invariants.awaitFence(workload, topics);
                    samples.add(sample(cycle, pipeline.pid()));
                    System.out.println("SoakTest " + samples.get(samples.size() - 1) + ", "
                            + workload.committed().size() + " transactions");
                }
                workload.stop();
                writing.join();
                assertNull(workload.failure(), "the workload ran without errors");
                Invariants.awaitFence(workload, topics);
                Invariants.assertHold(
                        topics.drain(Duration.ofMillis(500)), Expected.of(workload), Invariants.sourceRows(server, db));
                assertFlat(samples);
            }
        } finally {
            broker.close();
        }
    }

    /** Compares the last sample with the second (the first cycle still warms up: JIT, class loading, buffers). */
    private static void assertFlat(List<Sample> samples) {
        assertTrue(samples.size() >= 2, "at least two cycles ran: " + samples);
        Sample base = samples.get(Math.min(1, samples.size() - 1));
        Sample last = samples.get(samples.size() - 1);
        assertTrue(last.threads() <= base.threads() + 5, "threads flat: " + samples);
        assertTrue(last.fds() <= base.fds() + 10, "file descriptors flat: " + samples);
        assertTrue(last.rssKb() <= base.rssKb() + 64 * 1024, "resident memory flat (within 64 MiB): " + samples);
    }

    private static Sample sample(int cycle, long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long threads = 0;
        long rss = 0;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.substring(8).trim());
            } else if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            return new Sample(cycle, threads, fds.count(), rss);
        }
    }
}
