package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pipeline in its own JVM dies at the worst moments — kill -9 mid-stream, or a halt at a named crash point
 * inside the Kafka transaction protocol — and a restart must still publish every committed transaction exactly
 * once (I1, I2) with each transaction's events together (I4).
 */
class ProcessFaultTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CRASH_EXIT_MESSAGE = "CRASH POINT";

    private final MariaDbServer server = TestServers.mariadb114();
    private final Map<String, Integer> committed = new LinkedHashMap<>();
    private final Random random = new Random(7);
    private int nextId;

    @ParameterizedTest(name = "crash at {0}")
    @ValueSource(strings = {"mid-transaction:7", "before-commit:2", "during-commit:2", "after-commit:2"})
    void crashAtANamedPointThenRestartIsExactlyOnce(String crashPoint) throws Exception {
        try (Connection c = server.connect()) {
            String db = createTables(c);
            Path config = config(db);
            try (TopicReader topics = reader(db)) {
                try (SluiceProcess first = SluiceProcess.run(config, "-Dsluice.crash.at=" + crashPoint)) {
                    first.awaitOutput("Connecting to the binlog", WAIT);
                    writeTransactions(c, db, 30, 10);
                    assertEquals(99, first.awaitExit(WAIT), "halted at the crash point:\n" + first.output());
                    assertTrue(first.output().contains(CRASH_EXIT_MESSAGE));
                }
                writeTransactions(c, db, 5, 10);
                try (SluiceProcess second = SluiceProcess.run(config)) {
                    second.awaitOutput("Resuming pipeline", WAIT);
                    writeTransactions(c, db, 5, 10);
                    awaitLast(topics, second);
                    assertExactlyOnce(topics.drain(Duration.ofMillis(300)));
                }
            }
        }
    }

    /**
     * A source transaction larger than pipeline.max-transaction-events is committed to Kafka in parts; a crash
     * between the parts resumes inside the transaction and skips exactly the events already published.
     */
    @Test
    void crashBetweenPartsOfASplitTransactionResumesInsideItExactlyOnce() throws Exception {
        try (Connection c = server.connect()) {
            String db = createTables(c);
            Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
            settings.put(dev.sluice.config.ConfigKeys.PIPELINE_MAX_TRANSACTION_EVENTS, 10);
            Path config =
                    TestConfigs.writeYaml(settings, TestServers.directory("cfg").resolve("sluice.yaml"));
            try (TopicReader topics = reader(db)) {
                // Commits: the start position, then after events 10 and 20 of the big transaction: halt after the
                // third.
                try (SluiceProcess first = SluiceProcess.run(config, "-Dsluice.crash.at=after-commit:3")) {
                    first.awaitOutput("Connecting to the binlog", WAIT);
                    writeTransactions(c, db, 1, 1);
                    List<String> rows = new ArrayList<>();
                    for (int i = 0; i < 37; i++) {
                        rows.add("INSERT INTO " + db + ".a VALUES (" + (++nextId) + ", 2)");
                    }
                    committed.put(transaction(c, rows.toArray(String[]::new)), 37);
                    assertEquals(99, first.awaitExit(WAIT), first.output());
                    assertTrue(first.output().contains("exceeds pipeline.max-transaction-events"), first.output());
                }
                try (SluiceProcess second = SluiceProcess.run(config)) {
                    second.awaitOutput("Resuming inside transaction", WAIT);
                    writeTransactions(c, db, 3, 5);
                    awaitLast(topics, second);
                    assertExactlyOnce(topics.drain(Duration.ofMillis(300)));
                }
            }
        }
    }

    /** T03 "while recording a schema change": the DDL record and the rows around it, each exactly once. */
    @Test
    void crashWhileRecordingASchemaChangeThenRestartPublishesItExactlyOnce() throws Exception {
        try (Connection c = server.connect()) {
            String db = createTables(c);
            Path config = config(db);
            String ddl = "ALTER TABLE a MODIFY v BIGINT";
            try (TopicReader topics = reader(db);
                    TopicReader schemaChanges = new TopicReader(
                            TestServers.kafka().bootstrapServers(),
                            Pattern.compile(Pattern.quote("t_" + db + "._schema_changes")))) {
                try (SluiceProcess first = SluiceProcess.run(config, "-Dsluice.crash.at=schema-change:1")) {
                    first.awaitOutput("Connecting to the binlog", WAIT);
                    writeTransactions(c, db, 10, 10);
                    exec(c, "USE " + db, ddl);
                    writeTransactions(c, db, 10, 10);
                    assertEquals(99, first.awaitExit(WAIT), "halted at the schema change:\n" + first.output());
                }
                try (SluiceProcess second = SluiceProcess.run(config)) {
                    second.awaitOutput("Resuming pipeline", WAIT);
                    writeTransactions(c, db, 5, 10);
                    awaitLast(topics, second);
                    assertExactlyOnce(topics.drain(Duration.ofMillis(300)));
                    List<Rec> ddls = schemaChanges.readUntil(r -> !r.isEmpty(), WAIT, "the schema change");
                    ddls = schemaChanges.drain(Duration.ofMillis(300));
                    assertEquals(
                            List.of(ddl),
                            ddls.stream()
                                    .map(r -> r.value().path("ddl").asText())
                                    .toList(),
                            "the schema change published exactly once");
                }
            }
        }
    }

    @Test
    void killNineMidStreamThenRestartIsExactlyOnce() throws Exception {
        try (Connection c = server.connect()) {
            String db = createTables(c);
            Path config = config(db);
            try (TopicReader topics = reader(db)) {
                try (SluiceProcess first = SluiceProcess.run(config)) {
                    first.awaitOutput("Connecting to the binlog", WAIT);
                    writeTransactions(c, db, 40, 50);
                    String middle = new ArrayList<>(committed.keySet()).get(20);
                    topics.readUntil(r -> r.stream().anyMatch(x -> x.gtid().equals(middle)), WAIT, "the first events");
                    writeTransactions(c, db, 20, 50);
                    first.kill9();
                }
                writeTransactions(c, db, 20, 50);
                try (SluiceProcess second = SluiceProcess.run(config)) {
                    second.awaitOutput("Resuming pipeline", WAIT);
                    writeTransactions(c, db, 20, 50);
                    awaitLast(topics, second);
                    assertExactlyOnce(topics.drain(Duration.ofMillis(300)));
                }
            }
        }
    }

    private String createTables(Connection c) throws Exception {
        String db = TestServers.uniqueName("f");
        exec(
                c,
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".a (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE " + db + ".b (id INT PRIMARY KEY, v INT)");
        return db;
    }

    private Path config(String db) throws Exception {
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
        return TestConfigs.writeYaml(settings, TestServers.directory("cfg").resolve("sluice.yaml"));
    }

    private TopicReader reader(String db) {
        return new TopicReader(
                TestServers.kafka().bootstrapServers(),
                Pattern.compile(Pattern.quote("t_" + db + "." + db + ".") + ".*"));
    }

    private void writeTransactions(Connection c, String db, int count, int maxRows) throws Exception {
        for (int i = 0; i < count; i++) {
            int rows = 1 + random.nextInt(maxRows);
            List<String> statements = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                statements.add("INSERT INTO " + db + "." + (random.nextBoolean() ? "a" : "b") + " VALUES (" + (++nextId)
                        + ", 1)");
            }
            committed.put(transaction(c, statements.toArray(String[]::new)), rows);
        }
    }

    private void awaitLast(TopicReader topics, SluiceProcess pipeline) {
        try {
            topics.readAllOf(committed, WAIT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\npipeline output:\n" + pipeline.output(), e);
        }
    }

    private void assertExactlyOnce(List<Rec> recs) {
        Map<String, List<Long>> seen = new HashMap<>();
        recs.forEach(r -> seen.computeIfAbsent(r.gtid(), g -> new ArrayList<>()).add(r.eventIndex()));
        Map<String, Integer> counts = new java.util.TreeMap<>();
        seen.forEach((g, l) -> counts.put(g, l.size()));
        assertEquals(
                committed.keySet(),
                seen.keySet(),
                "the published GTIDs are exactly the committed ones; committed " + committed
                        + ", published (events per GTID) " + counts);
        committed.forEach((gtid, n) -> assertEquals(
                LongStream.range(0, n).boxed().toList(),
                seen.get(gtid).stream().sorted().toList(),
                "transaction " + gtid + " has each of its " + n + " events exactly once"));
    }
}
