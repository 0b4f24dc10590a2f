package dev.sluice.pipeline;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.testkit.CatalogColumns;
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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code _schemas} topic against real MariaDB servers (11.4 and 10.11): one version per change of a captured
 * table's columns or key and none for a change that leaves them, each equal to information_schema right after its
 * DDL and named by exactly the events written with it; copied rows name the catalog's version and streamed rows of
 * the same table reuse it (the binlog's and the catalog's view of a table are one version).
 */
class SchemaTopicTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    static Stream<MariaDbServer> servers() {
        return TestServers.allMariaDb().stream();
    }

    private static TopicReader reader(String db, String table) {
        return new TopicReader(
                TestServers.kafka().bootstrapServers(),
                Pattern.compile(Pattern.quote("t_" + db + ".") + "(" + Pattern.quote(db + "." + table) + "|_schemas)"));
    }

    /** A DDL statement (null: the table as created) and the version the rows written after it must name. */
    private record Step(String ddl, long version) {}

    @ParameterizedTest(name = "MariaDB {0}", autoCloseArguments = false)
    @MethodSource("servers")
    void everyShapeChangeIsOneVersionEqualToTheCatalogAndNamedByItsEvents(MariaDbServer server) throws Exception {
        List<Step> steps = List.of(
                new Step(null, 1),
                new Step("ALTER TABLE t ADD COLUMN b INT NULL", 2),
                new Step("ALTER TABLE t ADD INDEX ia (a), COMMENT 'no new columns'", 2),
                new Step("ALTER TABLE t MODIFY a VARCHAR(20) CHARACTER SET utf8mb4 NOT NULL", 3),
                new Step("ALTER TABLE t DROP COLUMN b", 4),
                new Step("ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, a)", 5));
        try (Connection c = server.connect()) {
            String db = TestServers.uniqueName("sv");
            exec(
                    c,
                    "CREATE DATABASE " + db,
                    "USE " + db,
                    "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10) CHARACTER SET latin1, "
                            + "d DECIMAL(10,2) UNSIGNED, at DATETIME(3) NOT NULL, e ENUM('x','y'))");
            Map<String, Long> versionOfGtid = new LinkedHashMap<>();
            Map<Long, JsonNode> catalogOfVersion = new HashMap<>();
            Map<Long, JsonNode> keyOfVersion = new HashMap<>();
            int events = 0;
            try (InProcessPipeline p = InProcessPipeline.start(TestConfigs.build(TestConfigs.forDatabase(server, db)));
                    TopicReader topics = reader(db, "t")) {
                int id = 0;
                for (Step step : steps) {
                    if (step.ddl() != null) {
                        exec(c, step.ddl());
                    }
                    catalogOfVersion.put(step.version(), CatalogColumns.columns(c, db, "t"));
                    keyOfVersion.put(step.version(), CatalogColumns.primaryKey(c, db, "t"));
                    String gtid = transaction(
                            c,
                            "INSERT INTO t (id, a, at) VALUES (" + (++id) + ", 'é', NOW(3))",
                            "INSERT INTO t (id, a, at) VALUES (" + (++id) + ", 'b', NOW(3))",
                            "UPDATE t SET d = 1.5 WHERE id = " + id);
                    versionOfGtid.put(gtid, step.version());
                    events += 3;
                }
                int expected = events;
                topics.readUntil(r -> rows(r).size() >= expected, WAIT, "every row event");
                List<Rec> all = topics.drain(Duration.ofMillis(300));
                Map<Long, JsonNode> versions = versionsOf(all, db, "t");
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L), List.copyOf(versions.keySet()), "one version per shape");
                Map<Long, String> firstGtid = new HashMap<>();
                for (Rec r : rows(all)) {
                    long named = r.value().path("source").path("schema_version").asLong();
                    assertEquals(versionOfGtid.get(r.gtid()), named, "the version of " + r.value());
                    firstGtid.putIfAbsent(named, r.gtid());
                    List<String> fields = new ArrayList<>();
                    r.after().fieldNames().forEachRemaining(fields::add);
                    assertEquals(names(versions.get(named).get("columns")), fields, "columns of " + r.value());
                }
                for (var v : versions.entrySet()) {
                    JsonNode record = v.getValue();
                    assertEquals(catalogOfVersion.get(v.getKey()), record.get("columns"), "version " + v.getKey());
                    assertEquals(keyOfVersion.get(v.getKey()), record.get("primary_key"), "version " + v.getKey());
                    assertEquals(
                            firstGtid.get(v.getKey()),
                            record.path("from").path("gtid").asText());
                    assertEquals(0, record.path("from").path("event").asLong(), "the first event of its transaction");
                    assertFalse(record.path("from").path("snapshot").asBoolean());
                }
            }
        }
    }

    @ParameterizedTest(name = "MariaDB {0}", autoCloseArguments = false)
    @MethodSource("servers")
    void copiedRowsAndLaterStreamedRowsNameOneVersionOfTheCatalog(MariaDbServer server) throws Exception {
        try (Connection c = server.connect()) {
            String db = TestServers.uniqueName("svs");
            exec(
                    c,
                    "CREATE DATABASE " + db,
                    "USE " + db,
                    "CREATE TABLE t (id BIGINT UNSIGNED PRIMARY KEY, v VARCHAR(20) CHARACTER SET utf8mb4 NOT NULL, "
                            + "l CHAR(3) CHARACTER SET latin1, w VARCHAR(7) CHARACTER SET ucs2, e ENUM('x','y') NOT NULL, "
                            + "s SET('p','q'), d DECIMAL(65,30), f FLOAT, g DOUBLE UNSIGNED, dt DATETIME(3), "
                            + "ts TIMESTAMP(6) NULL, tm TIME, y YEAR, da DATE, b VARBINARY(16), bn BINARY(5), bl BLOB, "
                            + "tt TINYTEXT, mt MEDIUMTEXT CHARACTER SET latin1, j JSON, p POINT, gm GEOMETRY, u UUID, "
                            + "bi BIT(5), ti TINYINT, si SMALLINT UNSIGNED, mi MEDIUMINT)",
                    "INSERT INTO t (id, v, e) VALUES (1, 'a', 'x'), (2, 'b', 'y'), (3, 'c', 'x')");
            var settings = TestConfigs.forDatabase(server, db);
            settings.put(ConfigKeys.SNAPSHOT_MODE, "initial");
            try (InProcessPipeline p = InProcessPipeline.start(TestConfigs.build(settings));
                    TopicReader topics = reader(db, "t")) {
                topics.readUntil(r -> rows(r).size() >= 3, WAIT, "the copied rows");
                exec(c, "INSERT INTO t (id, v, e, p) VALUES (4, 'd', 'y', POINT(1, 2))");
                topics.readUntil(r -> rows(r).size() >= 4, WAIT, "the streamed row");
                List<Rec> all = topics.drain(Duration.ofMillis(300));
                assertEquals(
                        List.of("r", "r", "r", "c"),
                        rows(all).stream().map(Rec::op).toList());
                rows(all)
                        .forEach(r -> assertEquals(
                                1,
                                r.value().path("source").path("schema_version").asLong(),
                                r.value().toString()));
                Map<Long, JsonNode> versions = versionsOf(all, db, "t");
                assertEquals(List.of(1L), List.copyOf(versions.keySet()), "the binlog's view is the catalog's");
                JsonNode v1 = versions.get(1L);
                assertEquals(CatalogColumns.columns(c, db, "t"), v1.get("columns"));
                assertEquals(CatalogColumns.primaryKey(c, db, "t"), v1.get("primary_key"));
                assertTrue(v1.path("from").path("snapshot").asBoolean(), "first named by a copied row");
            }
        }
    }

    private static List<Rec> rows(List<Rec> recs) {
        return recs.stream().filter(r -> !r.topic().endsWith("._schemas")).toList();
    }

    /** The schema records of one table by version, failing on a version written twice with different content. */
    private static Map<Long, JsonNode> versionsOf(List<Rec> recs, String db, String table) {
        Map<Long, JsonNode> versions = new java.util.TreeMap<>();
        for (Rec r : recs) {
            if (r.topic().endsWith("._schemas")
                    && r.value().path("database").asText().equals(db)
                    && r.value().path("table").asText().equals(table)) {
                JsonNode before = versions.put(r.value().path("version").asLong(), r.value());
                assertTrue(before == null || before.equals(r.value()), "a version written twice differently");
                assertEquals(
                        "{\"database\":\"" + db + "\",\"table\":\"" + table + "\",\"version\":"
                                + r.value().path("version").asLong() + "}",
                        r.key());
            }
        }
        return versions;
    }

    private static List<String> names(JsonNode columns) {
        List<String> names = new ArrayList<>();
        columns.forEach(c -> names.add(c.path("name").asText()));
        return names;
    }
}
