package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.Invariants;
import dev.sluice.testkit.Invariants.Expected;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import dev.sluice.testkit.Workload;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Two instances of one pipeline: the newer fences the older, which stops with exit code 7 and publishes nothing more. */
class FencingTest {
    @Test
    void aSecondInstanceFencesTheFirstAndEverythingIsPublishedOnce() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        try (Connection c = server.connect()) {
            String db = TestServers.uniqueName("z");
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
            var first = TestConfigs.forDatabase(server, db);
            var second = new LinkedHashMap<>(first);
            second.put(ConfigKeys.SOURCE_SERVER_ID, ((Long) first.get(ConfigKeys.SOURCE_SERVER_ID)) + 1);
            Map<String, Integer> committed = new LinkedHashMap<>();
            try (TopicReader topics = new TopicReader(
                    TestServers.kafka().bootstrapServers(),
                    Pattern.compile(Pattern.quote("t_" + db + "." + db + ".t")))) {
                InProcessPipeline older = InProcessPipeline.start(TestConfigs.build(first));
                committed.put(transaction(c, "INSERT INTO " + db + ".t VALUES (1)"), 1);
                topics.readAllOf(committed, Duration.ofSeconds(60));
                try (InProcessPipeline newer = InProcessPipeline.start(TestConfigs.build(second))) {
                    for (int i = 2; i <= 20; i++) {
                        committed.put(transaction(c, "INSERT INTO " + db + ".t VALUES (" + i + ")"), 1);
                    }
                    SluiceException e =
                            assertInstanceOf(SluiceException.class, older.awaitFailure(Duration.ofSeconds(60)));
                    assertEquals(ExitCode.FENCED, e.exitCode(), e.getMessage());
                    assertTrue(e.getMessage().contains("took over"), e.getMessage());
                    List<Rec> recs = topics.readAllOf(committed, Duration.ofSeconds(60));
                    Map<String, Integer> counts = new HashMap<>();
                    topics.drain(Duration.ofMillis(300)).forEach(r -> counts.merge(r.gtid(), 1, Integer::sum));
                    committed.keySet().forEach(g -> assertEquals(1, counts.get(g), "GTID " + g + " published once"));
                    assertEquals(committed.size(), counts.size(), "nothing else published: " + recs.size());
                }
            }
        }
    }

    /**
     * T04: the first instance is frozen (kill -STOP) mid-stream, a second instance takes over, then the first is
     * thawed. The zombie must find itself fenced and exit 7 without publishing anything; every transaction is in
     * Kafka exactly once (I1–I6).
     */
    @Test
    void aFrozenInstanceThawedAfterASecondTookOverIsFencedAndPublishesNothing() throws Exception {
        freezeTakeOverThaw(true);
    }

    /**
     * The same with the zombie frozen while idle: thawed, it first learns that the server dropped its binlog
     * connection for the successor's (same config, so the same server_id), with no Kafka transaction open that
     * would reveal the fencing. That is not a server_id collision to fix in the config: Kafka must be asked, and
     * the exit is 7, not 3.
     */
    @Test
    void anIdleFrozenInstanceDisplacedByItsSuccessorReportsTheTakeOverNotAServerIdCollision() throws Exception {
        freezeTakeOverThaw(false);
    }

    private static void freezeTakeOverThaw(boolean busyWhenFrozen) throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        Workload workload = new Workload(server, TestServers.uniqueName("zz"), System.nanoTime());
        workload.createTables();
        String db = workload.database();
        var settings = TestConfigs.forDatabase(server, db);
        java.nio.file.Path config =
                TestConfigs.writeYaml(settings, TestServers.directory("cfg").resolve("sluice.yaml"));
        try (TopicReader topics = new TopicReader(
                        TestServers.kafka().bootstrapServers(),
                        Pattern.compile(Pattern.quote("t_" + db + "." + db + ".") + ".*"));
                SluiceProcess zombie = SluiceProcess.run(config)) {
            zombie.awaitOutput("No committed position", Duration.ofSeconds(60));
            workload.runTransactions(30);
            Invariants.awaitFence(workload, topics);
            if (busyWhenFrozen) {
                workload.runTransactions(30); // in flight when it freezes
            }
            zombie.pause();
            try (SluiceProcess successor = SluiceProcess.run(config)) {
                successor.awaitOutput("Resuming pipeline", Duration.ofSeconds(60));
                workload.runTransactions(30);
                Invariants.awaitFence(workload, topics);
                zombie.resume();
                Invariants.assertLoudFailure(zombie, 7, Duration.ofSeconds(60), "took over");
                workload.runTransactions(10);
                Invariants.awaitFence(workload, topics);
                Invariants.assertHold(
                        topics.drain(Duration.ofMillis(500)), Expected.of(workload), Invariants.sourceRows(server, db));
            }
        }
    }
}
