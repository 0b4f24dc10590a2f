package dev.sluice.snapshot;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.ops.PipelineStats;
import dev.sluice.testkit.InProcessPipeline;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Initial snapshot of a table that is written to during the copy (the in-process part of T13). */
class SnapshotTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private final MariaDbServer server = TestServers.mariadb114();

    @Test
    void tableCopiedUnderWritesEqualsTheSourceAndNoKeyGoesBackwards() throws Exception {
        String db = TestServers.uniqueName("snap");
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".fence (id INT PRIMARY KEY)");
            TableWriter.createAndFill(c, db + ".big", 40_000);
        }
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
        settings.put(ConfigKeys.SNAPSHOT_MODE, "initial");
        settings.put(ConfigKeys.SNAPSHOT_CHUNK_SIZE, 1_000);
        TableWriter writer = new TableWriter(server, db + ".big", 40_000, 13);
        Thread writing = new Thread(writer, "table-writer");
        try (TopicReader topics = new TopicReader(TestServers.kafka().bootstrapServers(),
                Pattern.compile("t_" + Pattern.quote(db) + "\\..*"))) {
            writing.start();
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
                awaitCopied(pipeline.stats(), db + ".big");
                writer.stop();
                writing.join();
                assertNull(writer.failure(), "writer failed");
                List<Rec> records = awaitFence(topics, db);
                CopyCheck check = CopyCheck.of(records, "big");
                assertTrue(check.violations.isEmpty(), String.join("\n", check.violations));
                assertEquals(List.of(), check.differencesFrom(server, db + ".big"));
                assertTrue(check.copiedPerKey.values().stream().allMatch(n -> n == 1), "a key copied twice");
                assertTrue(check.copied > 30_000, "copied rows: " + check.copied);
                System.out.printf("copied %d rows while the writer ran %d statements (slowest %d ms)%n",
                        check.copied, writer.statements(), writer.slowestMillis());
            }
        }
    }

    private static void awaitCopied(PipelineStats stats, String table) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            PipelineStats.SnapshotStatus status = stats.snapshots().get(table);
            if (status != null && status.finished()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("The copy of " + table + " did not finish within " + WAIT.toSeconds() + " s: " + status);
            }
            Thread.sleep(50); // polling a status the pipeline publishes
        }
    }

    private List<Rec> awaitFence(TopicReader topics, String db) throws Exception {
        try (Connection c = server.connect()) {
            exec(c, "INSERT INTO " + db + ".fence VALUES (1)");
            String gtid = scalar(c, "SELECT @@last_gtid");
            topics.readUntil(recs -> recs.stream().anyMatch(r -> r.value() != null && gtid.equals(r.gtid())),
                    WAIT, "the fence " + gtid);
            // Everything before the fence is committed; other topics' records may still be on their way to the consumer.
            return topics.drain(Duration.ofSeconds(1));
        }
    }
}
