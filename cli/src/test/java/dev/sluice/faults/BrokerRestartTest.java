package dev.sluice.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.position.BinlogPosition;
import dev.sluice.testkit.Invariants;
import dev.sluice.testkit.Invariants.Expected;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.Workload;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * T06: the Kafka broker is killed with -9 and restarted, three times, while the workload keeps writing. While it is
 * down the pipeline must not believe it committed anything (its committed position and commit count stand still)
 * and must not buffer the growing binlog backlog in memory; after each restart it catches up on its own (I7), and at
 * the end the output satisfies I1–I6.
 */
class BrokerRestartTest {
    private static final int RESTARTS = 3;
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /** The producer's buffer (32 MiB) and the binlog queue (8,192 events) are the only things allowed to fill. */
    private static final long HEAP_GROWTH_BOUND = 96L << 20;

    @Test
    void brokerKilledAndRestartedThreeTimesLosesAndDuplicatesNothing() throws Exception {
        long seed = Long.getLong("sluice.test.seed", System.nanoTime());
        System.out.println("BrokerRestartTest seed " + seed);
        MariaDbServer server = TestServers.mariadb114();
        Workload workload = new Workload(server, TestServers.uniqueName("brk"), seed);
        workload.createTables();
        String db = workload.database();
        Path brokerDir = TestServers.directory("kafka-t06");
        int port = Ports.free();
        int controllerPort = Ports.free();
        KafkaBroker broker = KafkaBroker.start(brokerDir, port, controllerPort, 256);
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
        settings.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers());
        settings.put(ConfigKeys.KAFKA_CONNECT_RETRY_SECONDS, 120); // ride through the outage rather than exit 4
        Thread writing = new Thread(workload, "broker-restart-workload");
        try (TopicReader topics = new TopicReader(
                        broker.bootstrapServers(), Pattern.compile(Pattern.quote("t_" + db + "." + db + ".") + ".*"));
                InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
            writing.start();
            for (int outage = 1; outage <= RESTARTS; outage++) {
                Invariants.awaitFence(workload, topics);
                broker.kill();
                // The test's reader holds what it read so far; it reads nothing while the broker is down, so heap
                // growth during the outage is the pipeline's.
                long heapBefore = usedHeapAfterGc();
                assertNothingCommittedWhileDown(pipeline.stats(), outage);
                long growth = usedHeapAfterGc() - heapBefore;
                broker = KafkaBroker.start(brokerDir, port, controllerPort, 256);
                System.out.printf(
                        "BrokerRestartTest outage %d: heap growth %d MiB, %d transactions committed so far%n",
                        outage, growth >> 20, workload.committed().size());
                assertTrue(
                        growth < HEAP_GROWTH_BOUND,
                        "outage " + outage + ": heap grew by " + (growth >> 20)
                                + " MiB while the broker was down; the backlog must stay in the binlog, not in memory");
            }
            workload.stop();
            writing.join();
            assertNull(workload.failure(), "the workload ran without errors");
            Invariants.awaitFence(workload, topics);
            Invariants.assertHold(
                    topics.drain(Duration.ofMillis(500)), Expected.of(workload), Invariants.sourceRows(server, db));
            // The producer usually rides through a restart inside one Kafka transaction (no reconnect of the
            // pipeline); either way the invariants above are what counts.
            System.out.println(
                    "BrokerRestartTest: pipeline reconnects " + pipeline.stats().reconnects());
        } finally {
            broker.close();
        }
    }

    /** Samples the pipeline's committed state through the outage: it must not move while no broker exists. */
    private static void assertNothingCommittedWhileDown(PipelineStats stats, int outage) throws InterruptedException {
        Thread.sleep(500); // a commit acknowledged just before the kill may still be recording itself
        long commits = stats.kafkaCommits();
        BinlogPosition position = stats.committed();
        long end = System.nanoTime() + OUTAGE.toNanos();
        while (System.nanoTime() < end) { // the outage's length is the fault, not a wait for a result
            assertEquals(commits, stats.kafkaCommits(), "outage " + outage + ": a commit succeeded with no broker");
            assertEquals(position, stats.committed(), "outage " + outage + ": the position advanced with no broker");
            Thread.sleep(100);
        }
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
