package dev.sluice.snapshot;

import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.pipeline.InProcessPipeline;
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
        try (TopicReader topics = new TopicReader(
                TestServers.kafka().bootstrapServers(), Pattern.compile("t_" + Pattern.quote(db) + "\\..*"))) {
            writing.start();
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
                Copies.awaitCopied(pipeline.stats(), db + ".big");
                writer.stop();
                writing.join();
                assertNull(writer.failure(), "writer failed");
                List<Rec> records = Copies.awaitFence(server, topics, db);
                CopyCheck check = CopyCheck.of(records, "big");
                assertTrue(check.violations.isEmpty(), String.join("\n", check.violations));
                assertEquals(List.of(), check.differencesFrom(server, db + ".big"));
                assertTrue(check.copiedPerKey.values().stream().allMatch(n -> n == 1), "a key copied twice");
                assertTrue(check.copied > 30_000, "copied rows: " + check.copied);
                System.out.printf(
                        "copied %d rows while the writer ran %d statements (slowest %d ms)%n",
                        check.copied, writer.statements(), writer.slowestMillis());
            }
        }
    }

    /** An ALTER TABLE mid-copy: unpublished chunks are read again with the new definition; nothing is lost. */
    @Test
    void alterTableDuringTheCopyRereadsWithTheNewDefinition() throws Exception {
        String db = TestServers.uniqueName("snapalter");
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".fence (id INT PRIMARY KEY)");
            TableWriter.createAndFill(c, db + ".big", 30_000);
        }
        Map<ConfigKey<?>, Object> settings = slowCopy(db);
        TableWriter writer = new TableWriter(server, db + ".big", 30_000, 17);
        Thread writing = new Thread(writer, "table-writer");
        try (TopicReader topics = reader(db)) {
            writing.start();
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
                Copies.awaitRowsCopied(pipeline.stats(), db + ".big", 5_000);
                try (Connection c = server.connect()) {
                    exec(c, "ALTER TABLE " + db + ".big ADD COLUMN extra INT NOT NULL DEFAULT 7");
                }
                Copies.awaitCopied(pipeline.stats(), db + ".big");
                writer.stop();
                writing.join();
                assertNull(writer.failure(), "writer failed");
                List<Rec> records = Copies.awaitFence(server, topics, db);
                CopyCheck check = CopyCheck.of(records, "big");
                assertTrue(check.violations.isEmpty(), String.join("\n", check.violations));
                assertEquals(List.of(), check.differencesFrom(server, db + ".big"));
                Rec lastCopied = records.stream()
                        .filter(r ->
                                "r".equals(r.op()) && "big".equals(r.source().table()))
                        .reduce((a, b) -> b)
                        .orElseThrow();
                assertEquals(
                        7, lastCopied.after().path("extra").asInt(-1), "rows copied after the ALTER have its column");
                assertNull(pipeline.failureSoFar());
            }
        }
    }

    /** A table dropped mid-copy: the copy ends (rows already published stay), the stream goes on. */
    @Test
    void tableDroppedDuringItsCopyEndsTheCopyAndTheStreamGoesOn() throws Exception {
        String db = TestServers.uniqueName("snapdrop");
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".fence (id INT PRIMARY KEY)");
            TableWriter.createAndFill(c, db + ".big", 30_000);
        }
        try (TopicReader topics = reader(db);
                InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(slowCopy(db)))) {
            Copies.awaitRowsCopied(pipeline.stats(), db + ".big", 3_000);
            try (Connection c = server.connect()) {
                exec(c, "DROP TABLE " + db + ".big");
            }
            Copies.awaitCopied(pipeline.stats(), db + ".big");
            List<Rec> records = Copies.awaitFence(server, topics, db);
            long copied = records.stream().filter(r -> "r".equals(r.op())).count();
            assertTrue(copied >= 3_000 && copied < 30_000, "rows copied before the drop: " + copied);
            assertTrue(
                    records.stream()
                            .anyMatch(r -> r.value() != null
                                    && r.value()
                                            .path("ddl")
                                            .asText("")
                                            .toUpperCase(java.util.Locale.ROOT)
                                            .startsWith("DROP TABLE")),
                    "the stream published the DROP");
            assertNull(pipeline.failureSoFar());
        }
    }

    /** A row larger than the broker accepts stops the pipeline naming the table, the key and the setting. */
    @Test
    void rowLargerThanTheBrokersMaximumStopsNamingTableAndKey() throws Exception {
        String db = TestServers.uniqueName("snapbig");
        try (Connection c = server.connect()) {
            exec(
                    c,
                    "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".blobs (id INT PRIMARY KEY, b LONGBLOB)",
                    "INSERT INTO " + db + ".blobs VALUES (1, 'small'), (2, REPEAT('x', 3000000)), (3, 'small')");
        }
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
        settings.put(ConfigKeys.SNAPSHOT_MODE, "initial");
        InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings)); // expected to stop
        Throwable failure = pipeline.awaitFailure(WAIT);
        assertTrue(failure instanceof dev.sluice.failure.SluiceException, String.valueOf(failure));
        String message = failure.getMessage();
        assertTrue(
                message.contains("snapshot of " + db + ".blobs")
                        && message.contains("{\"id\":2}")
                        && message.contains("max.request.size"),
                message);
    }

    /**
     * snapshot.mode when_needed: a new pipeline copies the tables; later, with its stored position purged from the
     * server, it starts over with a new copy instead of stopping (initial would stop with exit 5, BadInputTest).
     */
    @Test
    void whenNeededCopiesAgainWhenTheStoredPositionWasPurged() throws Exception {
        try (MariaDbServer own = TestServers.throwawayMariaDb("whenneeded", MariaDbServer.Options.defaults())) {
            String db = TestServers.uniqueName("snapwn");
            try (Connection c = own.connect()) {
                exec(c, "CREATE DATABASE " + db);
                TableWriter.createAndFill(c, db + ".big", 300);
            }
            Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(own, db);
            settings.put(ConfigKeys.SNAPSHOT_MODE, "when_needed");
            try (TopicReader topics = reader(db)) {
                try (InProcessPipeline first = InProcessPipeline.start(TestConfigs.build(settings))) {
                    Copies.awaitCopied(first.stats(), db + ".big");
                }
                try (Connection c = own.connect()) {
                    exec(
                            c,
                            "INSERT INTO " + db + ".big VALUES (301, 1, 'row 301')",
                            "FLUSH BINARY LOGS",
                            "INSERT INTO " + db + ".big VALUES (302, 1, 'row 302')",
                            "FLUSH BINARY LOGS",
                            "PURGE BINARY LOGS BEFORE NOW() + INTERVAL 1 DAY");
                }
                try (InProcessPipeline second = InProcessPipeline.start(TestConfigs.build(settings))) {
                    Copies.awaitCopied(second.stats(), db + ".big");
                    List<Rec> records = topics.readUntil(
                            recs -> recs.stream()
                                            .filter(r -> "r".equals(r.op()))
                                            .count()
                                    >= 602,
                            WAIT,
                            "both copies");
                    long copiesOf302 = records.stream()
                            .filter(r ->
                                    "r".equals(r.op()) && r.after().path("id").asLong() == 302)
                            .count();
                    assertEquals(1, copiesOf302, "the row written into the purged binlog arrives by the new copy");
                }
            }
        }
    }

    /** A table without a primary key is copied in one consistent read: every row once, with a null key. */
    @Test
    void tableWithoutPrimaryKeyIsCopiedInOneRead() throws Exception {
        String db = TestServers.uniqueName("snapnopk");
        try (Connection c = server.connect()) {
            exec(
                    c,
                    "CREATE DATABASE " + db,
                    "USE " + db,
                    "CREATE TABLE " + db + ".log (line INT, msg VARCHAR(20))",
                    "INSERT INTO " + db + ".log SELECT seq % 700, CONCAT('m', seq) FROM seq_1_to_1500");
        }
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
        settings.put(ConfigKeys.SNAPSHOT_MODE, "initial");
        settings.put(ConfigKeys.SNAPSHOT_CHUNK_SIZE, 100);
        try (TopicReader topics = reader(db);
                InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
            Copies.awaitCopied(pipeline.stats(), db + ".log");
            List<Rec> records = topics.readUntil(
                    recs -> recs.stream().filter(r -> "r".equals(r.op())).count() >= 1500, WAIT, "1500 copied rows");
            records = topics.drain(Duration.ofMillis(500));
            List<String> messages = records.stream()
                    .filter(r -> "r".equals(r.op()))
                    .map(r -> r.after().path("msg").asText())
                    .sorted()
                    .toList();
            assertEquals(
                    java.util.stream.IntStream.rangeClosed(1, 1500)
                            .mapToObj(i -> "m" + i)
                            .sorted()
                            .toList(),
                    messages);
            assertTrue(records.stream().filter(r -> "r".equals(r.op())).allMatch(r -> r.key() == null));
            assertEquals(1, pipeline.stats().snapshots().get(db + ".log").chunks(), "one read for the whole table");
        }
    }

    private Map<ConfigKey<?>, Object> slowCopy(String db) {
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
        settings.put(ConfigKeys.SNAPSHOT_MODE, "initial");
        settings.put(ConfigKeys.SNAPSHOT_CHUNK_SIZE, 500);
        settings.put(ConfigKeys.SNAPSHOT_MAX_ROWS_PER_SECOND, 5_000);
        return settings;
    }

    private static TopicReader reader(String db) {
        return new TopicReader(
                TestServers.kafka().bootstrapServers(), Pattern.compile("t_" + Pattern.quote(db) + "\\..*"));
    }
}
