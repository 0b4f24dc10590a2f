package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * T03 for the schema topic: a table ALTERed between writes while the pipeline is halted right after a schema version
 * is handed to the producer (before the first event that names it), or killed -9 mid-run. After a restart every
 * event names a version committed in {@code _schemas} whose columns are the event's, no (table, version) has two
 * contents, the table's versions are exactly 1..n (one per ALTER: rows are written only after each; the table as
 * created has none, so it needs no version), and every committed transaction is published exactly once.
 */
class SchemaVersionCrashTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final MariaDbServer server = TestServers.mariadb114();
    private final Map<String, Integer> committed = new LinkedHashMap<>();
    private int nextId;
    private int alters;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"schema-version:3", "kill -9"})
    void afterACrashEveryEventHasItsSchemaAndNoVersionDiffers(String fault) throws Exception {
        String db = TestServers.uniqueName("sv");
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE " + db, "USE " + db, "CREATE TABLE a (id INT PRIMARY KEY, v INT)");
            Path config = TestConfigs.writeYaml(
                    TestConfigs.forDatabase(server, db),
                    TestServers.directory("cfg").resolve("sluice.yaml"));
            try (TopicReader topics = new TopicReader(
                    TestServers.kafka().bootstrapServers(),
                    Pattern.compile(Pattern.quote("t_" + db + ".") + "(" + Pattern.quote(db + ".a") + "|_schemas)"))) {
                boolean kill = fault.startsWith("kill");
                try (SluiceProcess first =
                        kill ? SluiceProcess.run(config) : SluiceProcess.run(config, "-Dsluice.crash.at=" + fault)) {
                    first.awaitOutput("Connecting to the binlog", WAIT);
                    alterAndWrite(c, 4);
                    if (kill) {
                        String second = new ArrayList<>(committed.keySet()).get(1);
                        topics.readUntil(r -> r.stream().anyMatch(x -> second.equals(x.gtid())), WAIT, "events");
                        alterAndWrite(c, 3);
                        first.kill9();
                    } else {
                        assertEquals(99, first.awaitExit(WAIT), "halted at the crash point:\n" + first.output());
                    }
                }
                alterAndWrite(c, 2); // while no pipeline runs
                try (SluiceProcess second = SluiceProcess.run(config)) {
                    second.awaitOutput("Resuming pipeline", WAIT);
                    alterAndWrite(c, 2);
                    try {
                        topics.readAllOf(committed, WAIT);
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + "\npipeline output:\n" + second.output(), e);
                    }
                    List<Rec> all = topics.drain(Duration.ofMillis(300));
                    Map<Long, JsonNode> versions = versions(all);
                    assertEquals(
                            LongStream.rangeClosed(1, alters).boxed().toList(),
                            List.copyOf(versions.keySet()),
                            "one version per shape, numbered without gaps or repeats");
                    List<Rec> rows =
                            all.stream().filter(r -> r.value().has("op")).toList();
                    rows.forEach(r -> assertNamesItsVersion(r, versions));
                    assertExactlyOnce(rows);
                }
            }
        }
    }

    /** {@code count} times: a new column, then a transaction writing it. */
    private void alterAndWrite(Connection c, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            exec(c, "ALTER TABLE a ADD COLUMN c" + (++alters) + " INT");
            List<String> inserts = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                inserts.add("INSERT INTO a (id, v, c" + alters + ") VALUES (" + (++nextId) + ", 1, " + alters + ")");
            }
            committed.put(transaction(c, inserts.toArray(String[]::new)), inserts.size());
        }
    }

    /** The committed versions of table a by number; a version written twice must be written the same. */
    private static Map<Long, JsonNode> versions(List<Rec> all) {
        Map<Long, JsonNode> versions = new TreeMap<>();
        for (Rec r : all) {
            if (r.topic().endsWith("._schemas")) {
                JsonNode earlier = versions.put(r.value().path("version").asLong(), r.value());
                assertTrue(earlier == null || earlier.equals(r.value()), "version written twice differently: " + r);
            }
        }
        return versions;
    }

    private static void assertNamesItsVersion(Rec row, Map<Long, JsonNode> versions) {
        JsonNode version =
                versions.get(row.value().path("source").path("schema_version").asLong());
        assertNotNull(version, "the version of " + row.value() + " is not in _schemas");
        List<String> columns = new ArrayList<>();
        version.get("columns").forEach(col -> columns.add(col.path("name").asText()));
        List<String> fields = new ArrayList<>();
        row.after().fieldNames().forEachRemaining(fields::add);
        assertEquals(columns, fields, "the columns of " + row.value());
    }

    private void assertExactlyOnce(List<Rec> rows) {
        Map<String, List<Long>> seen = new HashMap<>();
        rows.forEach(r -> seen.computeIfAbsent(r.gtid(), g -> new ArrayList<>()).add(r.eventIndex()));
        assertEquals(committed.keySet(), seen.keySet(), "the published GTIDs are exactly the committed ones");
        committed.forEach((gtid, n) -> assertEquals(
                LongStream.range(0, n).boxed().toList(),
                seen.get(gtid).stream().sorted().toList(),
                "transaction " + gtid + " has each of its events exactly once"));
    }
}
