package dev.sluice.pipeline;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The streaming core against real MariaDB servers (11.4 embedded, 10.11 from Debian when installed) and Kafka. */
class StreamingTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    static Stream<MariaDbServer> servers() {
        return TestServers.allMariaDb().stream();
    }

    private static String newDatabase(Connection c) throws Exception {
        String db = TestServers.uniqueName("s");
        exec(c, "CREATE DATABASE " + db);
        return db;
    }

    private static TopicReader reader(String db) {
        return new TopicReader(
                TestServers.kafka().bootstrapServers(),
                Pattern.compile(
                        Pattern.quote("t_" + db + ".") + "(" + Pattern.quote(db + ".") + ".*|_schema_changes)"));
    }

    @ParameterizedTest(name = "MariaDB {0}", autoCloseArguments = false)
    @MethodSource("servers")
    void insertUpdateDeleteCarryExactBeforeAndAfterValues(MariaDbServer server) throws Exception {
        try (Connection c = server.connect()) {
            String db = newDatabase(c);
            exec(
                    c,
                    "CREATE TABLE " + db + ".t (id INT UNSIGNED PRIMARY KEY, big BIGINT UNSIGNED, tiny TINYINT, "
                            + "amount DECIMAL(65,30), name VARCHAR(50) CHARACTER SET utf8mb4, l1 VARCHAR(20) CHARACTER SET latin1, "
                            + "dt DATETIME(6), ts TIMESTAMP(6) NULL, d DATE, tm TIME(3), bin BLOB, e ENUM('a','b'), "
                            + "s SET('x','y','z'), flag BIT(1), note TEXT NULL)");
            try (InProcessPipeline p = InProcessPipeline.start(TestConfigs.build(TestConfigs.forDatabase(server, db)));
                    TopicReader topics = reader(db)) {
                exec(
                        c,
                        "SET time_zone = '+00:00'",
                        "INSERT INTO " + db + ".t VALUES (4294967295, 18446744073709551615, -128, "
                                + "'-12345678901234567890123456789012345.123456789012345678901234567890', 'héllo 🎉', 'café €', "
                                + "'2024-02-29 23:59:59.123456', '2024-01-01 00:00:00.000001', '1000-01-01', '-838:59:59.000', "
                                + "UNHEX('00FF10'), 'b', 'x,z', b'1', NULL)",
                        "UPDATE " + db + ".t SET tiny = 127, name = 'ü', note = '' WHERE id = 4294967295",
                        "DELETE FROM " + db + ".t WHERE id = 4294967295");
                List<Rec> recs = topics.readUntil(r -> r.size() >= 3, WAIT, "insert, update and delete");
                assertEquals(List.of("c", "u", "d"), recs.stream().map(Rec::op).toList());
                recs.forEach(r -> assertEquals("{\"id\":4294967295}", r.key()));
                assertEquals("t_" + db + "." + db + ".t", recs.get(0).topic());

                JsonNode inserted = recs.get(0).after();
                assertTrue(recs.get(0).before().isNull());
                assertEquals("18446744073709551615", inserted.get("big").asText());
                assertTrue(inserted.get("big").isBigInteger(), "BIGINT UNSIGNED max stays a JSON number");
                assertEquals(-128, inserted.get("tiny").asInt());
                assertEquals(
                        "-12345678901234567890123456789012345.123456789012345678901234567890",
                        inserted.get("amount").asText());
                assertEquals("héllo 🎉", inserted.get("name").asText());
                assertEquals("café €", inserted.get("l1").asText(), "latin1 is decoded as the server's cp1252");
                assertEquals("2024-02-29 23:59:59.123456", inserted.get("dt").asText());
                assertEquals("2024-01-01T00:00:00.000001Z", inserted.get("ts").asText());
                assertEquals("1000-01-01", inserted.get("d").asText());
                assertEquals("-838:59:59.000", inserted.get("tm").asText());
                assertEquals("AP8Q", inserted.get("bin").asText());
                assertEquals("b", inserted.get("e").asText());
                assertEquals("x,z", inserted.get("s").asText());
                assertTrue(inserted.get("flag").asBoolean());
                assertTrue(inserted.get("note").isNull());

                Rec update = recs.get(1);
                assertEquals(inserted, update.before(), "the update's before-image is the inserted row");
                assertEquals(127, update.after().get("tiny").asInt());
                assertEquals("ü", update.after().get("name").asText());
                assertEquals("", update.after().get("note").asText(), "empty string is not NULL");

                Rec delete = recs.get(2);
                assertEquals(update.after(), delete.before());
                assertTrue(delete.after().isNull());
                assertEquals(
                        "sluice",
                        delete.value().path("source").path("connector").asText());
                assertEquals(db, delete.value().path("source").path("db").asText());
                assertEquals("t", delete.value().path("source").path("table").asText());
            }
        }
    }

    /**
     * {@code source.file}/{@code source.pos} are where the rows event starts, as {@code SHOW BINLOG EVENTS} lists it.
     * MariaDB 11.4 writes events inside a transaction without their end position (binlog_legacy_event_pos=OFF),
     * which Sluice once published as negative offsets; there the position is the transaction's GTID event's.
     */
    @ParameterizedTest(name = "MariaDB {0}", autoCloseArguments = false)
    @MethodSource("servers")
    void sourcePositionsAreTheRowsEventsOffsetsInTheBinlog(MariaDbServer server) throws Exception {
        try (Connection c = server.connect()) {
            String db = newDatabase(c);
            exec(c, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
            try (InProcessPipeline p = InProcessPipeline.start(TestConfigs.build(TestConfigs.forDatabase(server, db)));
                    TopicReader topics = reader(db)) {
                String gtid = transaction(
                        c,
                        "INSERT INTO " + db + ".t VALUES (1, 'a')",
                        "INSERT INTO " + db + ".t VALUES (2, 'b')",
                        "UPDATE " + db + ".t SET v = 'c' WHERE id = 1");
                List<Rec> recs = topics.readUntil(
                        r -> r.stream().filter(x -> gtid.equals(x.gtid())).count() == 3,
                        WAIT,
                        "the transaction's three events");
                List<String> published = new ArrayList<>();
                for (Rec r : recs) {
                    if (gtid.equals(r.gtid())) {
                        published.add(r.source().file() + ":" + r.source().pos());
                    }
                }
                String file = published.get(0).substring(0, published.get(0).indexOf(':'));
                String legacy = dev.sluice.testkit.Sql.scalar(
                        c,
                        "SELECT VARIABLE_VALUE FROM information_schema."
                                + "GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'BINLOG_LEGACY_EVENT_POS'");
                List<String> expected = legacy == null || legacy.equals("ON")
                        ? rowsEventsOf(c, file, gtid)
                        : java.util.Collections.nCopies(3, gtidEventOf(c, file, gtid));
                assertEquals(expected, published, "binlog_legacy_event_pos " + legacy);
            }
        }
    }

    /** file:pos of the GTID event of transaction {@code gtid}, from the server's own listing. */
    private static String gtidEventOf(Connection c, String file, String gtid) throws Exception {
        try (java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + file + "'")) {
            while (rs.next()) {
                if (rs.getString("Event_type").equals("Gtid")
                        && rs.getString("Info").contains("GTID " + gtid)) {
                    return file + ":" + rs.getLong("Pos");
                }
            }
        }
        throw new AssertionError("no GTID event for " + gtid + " in " + file);
    }

    /** file:pos of each rows event of transaction {@code gtid}, from the server's own listing. */
    private static List<String> rowsEventsOf(Connection c, String file, String gtid) throws Exception {
        List<String> positions = new ArrayList<>();
        boolean inside = false;
        try (java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + file + "'")) {
            while (rs.next()) {
                String type = rs.getString("Event_type");
                String info = rs.getString("Info");
                if (type.equals("Gtid")) {
                    inside = info.contains("GTID " + gtid);
                } else if (inside
                        && (type.startsWith("Write_rows")
                                || type.startsWith("Update_rows")
                                || type.startsWith("Delete_rows"))) {
                    positions.add(file + ":" + rs.getLong("Pos"));
                }
            }
        }
        return positions;
    }

    @ParameterizedTest(name = "MariaDB {0}", autoCloseArguments = false)
    @MethodSource("servers")
    void transactionKeepsOneGtidContiguousEventIndexesAndPrimaryKeyChanges(MariaDbServer server) throws Exception {
        try (Connection c = server.connect()) {
            String db = newDatabase(c);
            exec(
                    c,
                    "CREATE TABLE " + db + ".a (id INT PRIMARY KEY, v INT)",
                    "CREATE TABLE " + db + ".b (k VARCHAR(10), n INT, PRIMARY KEY (k, n))",
                    "CREATE TABLE " + db + ".nokey (x INT)");
            try (InProcessPipeline p = InProcessPipeline.start(TestConfigs.build(TestConfigs.forDatabase(server, db)));
                    TopicReader topics = reader(db)) {
                String gtid = transaction(
                        c,
                        "INSERT INTO " + db + ".a VALUES (1,1),(2,1),(3,1)",
                        "INSERT INTO " + db + ".b VALUES ('x',1),('y',2)",
                        "UPDATE " + db + ".a SET id = 10 WHERE id = 1",
                        "INSERT INTO " + db + ".nokey VALUES (7)");
                List<Rec> recs = topics.readUntil(r -> r.size() >= 8, WAIT, "one transaction's 8 records");
                recs.forEach(r -> assertEquals(gtid, r.gtid()));
                assertEquals(
                        List.of(0L, 1L, 2L, 3L, 4L, 5L, 5L, 6L),
                        recs.stream().map(Rec::eventIndex).sorted().toList(),
                        "event indexes are contiguous; the key change is a delete and a create at one index");
                Rec oldKey = recs.stream()
                        .filter(r -> r.op().equals("d"))
                        .findFirst()
                        .orElseThrow();
                Rec newKey = recs.stream()
                        .filter(r -> "{\"id\":10}".equals(r.key()))
                        .findFirst()
                        .orElseThrow();
                assertEquals("{\"id\":1}", oldKey.key());
                assertEquals("c", newKey.op());
                assertEquals(
                        "{\"k\":\"y\",\"n\":2}",
                        recs.stream()
                                .filter(r -> r.topic().endsWith(".b"))
                                .reduce((x, y) -> y)
                                .orElseThrow()
                                .key(),
                        "composite key in key order");
                Rec nokey = recs.stream()
                        .filter(r -> r.topic().endsWith(".nokey"))
                        .findFirst()
                        .orElseThrow();
                assertNull(nokey.key(), "a table without a primary key has a null key");
            }
        }
    }

    @ParameterizedTest(name = "MariaDB {0}", autoCloseArguments = false)
    @MethodSource("servers")
    void alterTableMidStreamDecodesLaterRowsWithTheNewColumns(MariaDbServer server) throws Exception {
        try (Connection c = server.connect()) {
            String db = newDatabase(c);
            exec(c, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, a VARCHAR(10))");
            try (InProcessPipeline p = InProcessPipeline.start(TestConfigs.build(TestConfigs.forDatabase(server, db)));
                    TopicReader topics = reader(db)) {
                exec(
                        c,
                        "INSERT INTO " + db + ".t VALUES (1, 'before')",
                        "USE " + db,
                        "ALTER TABLE " + db
                                + ".t ADD COLUMN b DECIMAL(5,2) DEFAULT 1.50, MODIFY a VARCHAR(10) CHARACTER SET latin1",
                        "INSERT INTO " + db + ".t VALUES (2, 'àfter', 2.25)");
                List<Rec> recs = topics.readUntil(
                        r -> r.stream().filter(x -> x.topic().endsWith(".t")).count() >= 2
                                && r.stream().anyMatch(x -> x.topic().endsWith("._schema_changes")),
                        WAIT,
                        "rows around an ALTER");
                List<Rec> rows =
                        recs.stream().filter(x -> x.topic().endsWith(".t")).toList();
                assertFalse(rows.get(0).after().has("b"));
                assertEquals("àfter", rows.get(1).after().get("a").asText());
                assertEquals("2.25", rows.get(1).after().get("b").asText());
                Rec ddl = recs.stream()
                        .filter(x -> x.topic().endsWith("._schema_changes"))
                        .findFirst()
                        .orElseThrow();
                assertTrue(
                        ddl.value().get("ddl").asText().toUpperCase().contains("ADD COLUMN"),
                        ddl.value().toString());
                assertEquals(db, ddl.value().get("database").asText());
                assertFalse(ddl.value().path("source").path("gtid").asText().isEmpty());
            }
        }
    }

    @ParameterizedTest(name = "MariaDB {0}", autoCloseArguments = false)
    @MethodSource("servers")
    void stopAndRestartPublishEveryTransactionExactlyOnce(MariaDbServer server) throws Exception {
        try (Connection c = server.connect()) {
            String db = newDatabase(c);
            exec(
                    c,
                    "CREATE TABLE " + db + ".a (id INT PRIMARY KEY, v INT)",
                    "CREATE TABLE " + db + ".b (id INT PRIMARY KEY, v INT)");
            var settings = TestConfigs.forDatabase(server, db);
            Map<String, Integer> committed = new LinkedHashMap<>();
            Random random = new Random(42);
            int[] nextId = {0};
            try (TopicReader topics = reader(db)) {
                try (InProcessPipeline first = InProcessPipeline.start(TestConfigs.build(settings))) {
                    writeTransactions(c, db, 40, random, nextId, committed);
                    String last = lastKey(committed);
                    topics.readUntil(r -> r.stream().anyMatch(x -> x.gtid().equals(last)), WAIT, "the first batch");
                }
                writeTransactions(c, db, 40, random, nextId, committed); // while stopped
                try (InProcessPipeline second = InProcessPipeline.start(TestConfigs.build(settings))) {
                    writeTransactions(c, db, 40, random, nextId, committed);
                    topics.readAllOf(committed, WAIT);
                    assertExactlyOnce(committed, topics.drain(Duration.ofMillis(500)));
                }
            }
        }
    }

    /**
     * A pipeline that has caught up commits without waiting for pipeline.commit-interval-ms: with the interval at
     * its maximum (60 s), each of three transactions written one after another must reach a read_committed consumer
     * within 20 s, i.e. long before the interval. Waiting for the interval would fail the first wait.
     */
    @ParameterizedTest(name = "MariaDB {0}", autoCloseArguments = false)
    @MethodSource("servers")
    void aCaughtUpPipelineCommitsWithoutWaitingForTheCommitInterval(MariaDbServer server) throws Exception {
        try (Connection c = server.connect()) {
            String db = newDatabase(c);
            exec(c, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
            var settings = TestConfigs.forDatabase(server, db);
            settings.put(ConfigKeys.PIPELINE_COMMIT_INTERVAL_MS, 60_000);
            try (InProcessPipeline p = InProcessPipeline.start(TestConfigs.build(settings));
                    TopicReader topics = reader(db)) {
                for (int id = 1; id <= 3; id++) {
                    String gtid = transaction(c, "INSERT INTO " + db + ".t VALUES (" + id + ")");
                    topics.readUntil(
                            r -> r.stream().anyMatch(x -> gtid.equals(x.gtid())),
                            Duration.ofSeconds(20),
                            "row " + id + " long before the 60 s commit interval");
                }
            }
        }
    }

    private static void writeTransactions(
            Connection c, String db, int count, Random random, int[] nextId, Map<String, Integer> committed)
            throws Exception {
        for (int i = 0; i < count; i++) {
            int rows = 1 + random.nextInt(3);
            List<String> statements = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                statements.add("INSERT INTO " + db + "." + (random.nextBoolean() ? "a" : "b") + " VALUES ("
                        + (++nextId[0]) + ", 1)");
            }
            committed.put(transaction(c, statements.toArray(String[]::new)), rows);
        }
    }

    /**
     * Every captured table has its topic once the pipeline streams, before any row of it arrives (created in one
     * request at start); an excluded table has none; a table created later gets its topic with its first row.
     */
    @Test
    void theTopicsOfTheCapturedTablesAreCreatedAtStart() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        try (Connection c = server.connect()) {
            String db = newDatabase(c);
            for (String table : List.of("a", "b", "c", "skipped")) {
                exec(c, "CREATE TABLE " + db + "." + table + " (id INT PRIMARY KEY)");
            }
            var settings = TestConfigs.forDatabase(server, db);
            settings.put(ConfigKeys.FILTER_EXCLUDE, List.of(db + ".skipped"));
            String prefix = "t_" + db + "." + db + ".";
            try (InProcessPipeline p = InProcessPipeline.start(TestConfigs.build(settings));
                    Admin admin = Admin.create(
                            Map.of("bootstrap.servers", TestServers.kafka().bootstrapServers()));
                    TopicReader topics = reader(db)) {
                assertEquals(
                        Set.of(prefix + "a", prefix + "b", prefix + "c"),
                        tableTopics(admin, prefix),
                        "topics of the captured tables, none for the excluded one, before any row");
                exec(
                        c,
                        "CREATE TABLE " + db + ".later (id INT PRIMARY KEY)",
                        "INSERT INTO " + db + ".later VALUES (1)");
                topics.readUntil(r -> r.stream().anyMatch(x -> "c".equals(x.op())), WAIT, "the row of the later table");
                assertEquals(
                        Set.of(prefix + "a", prefix + "b", prefix + "c", prefix + "later"), tableTopics(admin, prefix));
            }
        }
    }

    private static Set<String> tableTopics(Admin admin, String prefix) throws Exception {
        return admin.listTopics().names().get().stream()
                .filter(t -> t.startsWith(prefix))
                .collect(Collectors.toSet());
    }

    /** I1 and I2: each committed transaction appears with exactly its events, once, and nothing else appears. */
    static void assertExactlyOnce(Map<String, Integer> committed, List<Rec> recs) {
        Map<String, List<Long>> seen = new HashMap<>();
        for (Rec r : recs) {
            if (!r.topic().endsWith("._schema_changes")) {
                seen.computeIfAbsent(r.gtid(), g -> new ArrayList<>()).add(r.eventIndex());
            }
        }
        assertEquals(committed.keySet(), seen.keySet(), "the published GTIDs are exactly the committed ones");
        committed.forEach((gtid, n) -> assertEquals(
                java.util.stream.LongStream.range(0, n).boxed().toList(),
                seen.get(gtid).stream().sorted().toList(),
                "transaction " + gtid + " has each of its " + n + " events exactly once"));
    }

    private static String lastKey(Map<String, Integer> map) {
        return new ArrayList<>(map.keySet()).get(map.size() - 1);
    }
}
