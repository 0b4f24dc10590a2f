package dev.sluice.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.Invariants;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import dev.sluice.testkit.Workload;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * T05 (first half; a server_id equal to the server's own is refused in {@code BadInputTest}): two pipelines with
 * the same {@code source.server-id}. The server keeps only the newest binlog reader per server_id, so without care
 * the two would displace each other forever. The displaced pipeline must stop loudly (I8: exit 3 within a bound,
 * naming the setting, the id and its position) and publish nothing more; the newer one stays the only reader.
 */
class ServerIdCollisionTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void theDisplacedPipelineStopsNamingTheServerIdAndTheOtherKeepsStreaming() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        Workload workload = new Workload(server, TestServers.uniqueName("sid"), 5);
        workload.createTables();
        String db = workload.database();
        long serverId = ThreadLocalRandom.current().nextLong(10_000, 1_000_000);
        Map<ConfigKey<?>, Object> first = TestConfigs.forDatabase(server, db);
        first.put(ConfigKeys.SOURCE_SERVER_ID, serverId);
        Map<ConfigKey<?>, Object> second = TestConfigs.forDatabase(server, db);
        second.put(ConfigKeys.SOURCE_SERVER_ID, serverId);
        second.put(ConfigKeys.PIPELINE_NAME, "second-" + db);
        second.put(ConfigKeys.KAFKA_TOPIC_PREFIX, "s_" + db);
        try (TopicReader firstTopics = reader("t_" + db, db);
                TopicReader secondTopics = reader("s_" + db, db);
                SluiceProcess displaced = SluiceProcess.run(TestConfigs.writeYaml(
                        first, TestServers.directory("cfg").resolve("sluice.yaml")))) {
            displaced.awaitOutput("No committed position", BOUND);
            workload.runTransactions(20);
            Invariants.awaitFence(workload, firstTopics);
            try (InProcessPipeline newer = InProcessPipeline.start(TestConfigs.build(second))) {
                Invariants.assertLoudFailure(
                        displaced,
                        3,
                        BOUND,
                        "source.server-id",
                        "server_id " + serverId,
                        "Stopped at the committed position GTID");
                Map<String, Integer> before = workload.committed();
                workload.runTransactions(20);
                Invariants.awaitFence(workload, secondTopics);
                List<Rec> afterStop = newTransactions(firstTopics.drain(Duration.ofMillis(500)), before);
                assertEquals(List.of(), afterStop, "the displaced pipeline published nothing after it stopped");
                assertEquals(0, newer.stats().reconnects(), "the newer pipeline was never displaced in turn");
                Map<String, Integer> expected = new HashMap<>(workload.committed());
                expected.keySet().removeAll(before.keySet());
                secondTopics.readAllOf(expected, BOUND);
                assertTrue(TopicReader.missing(expected, secondTopics.drain(Duration.ofMillis(300)))
                        .isEmpty());
            }
        }
    }

    private static List<Rec> newTransactions(List<Rec> records, Map<String, Integer> before) {
        return records.stream()
                .filter(r -> r.isChange() && !before.containsKey(r.gtid()))
                .toList();
    }

    private static TopicReader reader(String prefix, String db) {
        return new TopicReader(
                TestServers.kafka().bootstrapServers(), Pattern.compile(Pattern.quote(prefix + "." + db + ".") + ".*"));
    }
}
