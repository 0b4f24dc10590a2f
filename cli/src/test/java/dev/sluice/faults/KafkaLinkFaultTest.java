package dev.sluice.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.position.BinlogPosition;
import dev.sluice.testkit.Invariants;
import dev.sluice.testkit.Invariants.Expected;
import dev.sluice.testkit.TcpProxy;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.Workload;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * T10: every client link to the Kafka broker (which advertises a proxy) stalls — nothing lost, nothing forwarded, as
 * in a partition — for longer than the pipeline's transaction timeout, under a steady workload. The broker aborts
 * the open transaction meanwhile. The pipeline must commit nothing while cut off, must not mistake the abort for a
 * newer instance, and after the link heals must abort, re-initialize and replay: I1–I7.
 */
class KafkaLinkFaultTest {
    private static final int TRANSACTION_TIMEOUT_MS = 5_000;
    /** Past the transaction timeout plus the broker's 10 s sweep for timed-out transactions. */
    private static final Duration STALL = Duration.ofSeconds(25);

    @Test
    void aKafkaLinkStalledPastTheTransactionTimeoutIsRecoveredByReplay() throws Exception {
        long seed = Long.getLong("sluice.test.seed", System.nanoTime());
        System.out.println("KafkaLinkFaultTest seed " + seed);
        MariaDbServer server = TestServers.mariadb114();
        Workload workload = new Workload(server, TestServers.uniqueName("kl"), seed).throttled(5);
        workload.createTables();
        String db = workload.database();
        int brokerPort = Ports.free();
        try (TcpProxy kafkaLink = TcpProxy.start("127.0.0.1", brokerPort);
                KafkaBroker broker = KafkaBroker.startAdvertising(
                        TestServers.directory("kafka-t10"), brokerPort, Ports.free(), 256, kafkaLink.port())) {
            Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
            settings.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:" + kafkaLink.port());
            settings.put(ConfigKeys.KAFKA_CONNECT_RETRY_SECONDS, 120);
            settings.put(ConfigKeys.KAFKA_PROPERTIES, Map.of("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS));
            // Long Kafka transactions under a steady load: the stall almost surely catches one open, with records
            // already on the broker, which is the case where the broker's timeout abort matters. The minimum interval
            // too: by default a caught-up pipeline commits at once, and the stall would find no transaction open.
            settings.put(ConfigKeys.PIPELINE_COMMIT_INTERVAL_MS, 2_000);
            settings.put(ConfigKeys.PIPELINE_COMMIT_MIN_INTERVAL_MS, 2_000);
            try (TopicReader topics = new TopicReader(
                            broker.bootstrapServers(),
                            Pattern.compile(Pattern.quote("t_" + db + "." + db + ".") + ".*"));
                    InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
                Thread writing = new Thread(workload, "kafka-link-workload");
                writing.start();
                Invariants.awaitFence(workload, topics);
                kafkaLink.stall();
                Thread.sleep(500); // a commit already answered may still be recording itself
                long commits = pipeline.stats().kafkaCommits();
                BinlogPosition position = pipeline.stats().committed();
                Thread.sleep(STALL.toMillis()); // the fault's length, not a wait for a result
                assertEquals(commits, pipeline.stats().kafkaCommits(), "no commit while Kafka was unreachable");
                assertEquals(position, pipeline.stats().committed(), "no position change while Kafka was unreachable");
                kafkaLink.heal();
                Invariants.awaitFence(workload, topics);
                workload.stop();
                writing.join();
                assertNull(workload.failure(), "the workload ran without errors");
                Invariants.awaitFence(workload, topics);
                Invariants.assertHold(
                        topics.drain(Duration.ofMillis(500)), Expected.of(workload), Invariants.sourceRows(server, db));
                int replayed = eventsWrittenTwice(broker, db);
                assertTrue(
                        replayed > 0,
                        "the broker aborted the transaction open during the stall and the pipeline "
                                + "replayed it (events in the log twice: aborted, then committed)");
                System.out.println(
                        "KafkaLinkFaultTest: reconnects " + pipeline.stats().reconnects() + ", "
                                + workload.committed().size() + " transactions, " + replayed + " events written twice");
            }
        }
    }

    /** Events in the log more than once: those of the transaction the broker aborted, then replayed. */
    private static int eventsWrittenTwice(KafkaBroker broker, String db) {
        try (TopicReader all = TopicReader.includingAborted(
                broker.bootstrapServers(), Pattern.compile(Pattern.quote("t_" + db + "." + db + ".") + ".*"))) {
            Map<String, Integer> seen = new java.util.HashMap<>();
            all.drain(Duration.ofSeconds(2)).stream()
                    .filter(TopicReader.Rec::isChange)
                    .forEach(r -> seen.merge(r.gtid() + "#" + r.eventIndex(), 1, Integer::sum));
            return (int) seen.values().stream().filter(n -> n > 1).count();
        }
    }
}
