package dev.sluice.load.postgresql;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.ConfigKey;
import dev.sluice.config.LoadConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.kafka.TopicNames;
import dev.sluice.load.InProcessLoader;
import dev.sluice.load.LoadSettings;
import dev.sluice.load.OrderChanges;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.Sql;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestPostgres;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The change topics of a live capture loaded into PostgreSQL: the target equals the source, and stays so — with each
 * dialect (PostgreSQL's ON CONFLICT, and Redshift's staging with DELETE and INSERT, run here on PostgreSQL) and each
 * delete mode (hard; soft, where a deleted row stays marked with the version of its delete).
 */
class PostgresLoadTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TARGET_ROW = "concat_ws('|', id, COALESCE(total::text, '-'), COALESCE(note, '-'), "
            + "COALESCE(to_char(placed, 'YYYY-MM-DD HH24:MI:SS.US'), '-'), COALESCE(big::text, '-'))";

    private final MariaDbServer source = TestServers.mariadb114();

    @ParameterizedTest(name = "target.type {0}, load.deletes {1}")
    @CsvSource({"postgresql, hard", "redshift, hard", "postgresql, soft", "redshift, soft"})
    void insertsUpdatesDeletesAndKeyChangesArriveExactlyAndAReplayChangesNothing(String type, String deletes)
            throws Exception {
        boolean soft = deletes.equals("soft");
        String db = TestServers.uniqueName("load");
        try (TestPostgres target = TestPostgres.freshDatabase("load");
                Connection src = source.connect()) {
            exec(src, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".orders (" + OrderChanges.COLUMNS + ")");
            Map<ConfigKey<?>, Object> capture = TestConfigs.forDatabase(source, db);
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(capture))) {
                OrderChanges.write(src, db);
                try (InProcessLoader loader = InProcessLoader.start(loadConfig(capture, target, "l1", type, deletes))) {
                    awaitFence(src, target, db, 1);
                }
                assertEquals(sourceRows(src, db), targetRows(target, db, soft));
                if (soft) {
                    assertEquals(deletedInSource(capture, db), softDeleted(target, db));
                }
                List<String> loaded = versions(target, db);

                exec(target.connect(), "DELETE FROM public._sluice_offsets");
                try (InProcessLoader replay = InProcessLoader.start(loadConfig(capture, target, "l2", type, deletes))) {
                    awaitFence(src, target, db, 2);
                }
                assertEquals(
                        sourceRows(src, db), targetRows(target, db, soft), "a replay from offset 0 changed the rows");
                List<String> after = versions(target, db);
                assertEquals(loaded.size() + 1, after.size(), "only the second fence row is new");
                assertTrue(after.containsAll(loaded), "a replay changed the version of a row");
            }
        }
    }

    private static LoadConfig loadConfig(
            Map<ConfigKey<?>, Object> capture, TestPostgres target, String name, String type, String deletes) {
        Map<ConfigKey<?>, Object> m = PostgresSettings.forCapture(capture, target, name);
        m.put(TARGET_TYPE, type);
        m.put(LOAD_DELETES, deletes);
        return LoadSettings.config(m);
    }

    /** A row written last in the source; once it is in the target, everything before it is. */
    private static void awaitFence(Connection src, TestPostgres target, String db, int n) throws Exception {
        int id = 900_000 + n;
        exec(src, "INSERT INTO " + db + ".orders (id) VALUES (" + id + ")");
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Connection c = target.connect()) {
            while (!hasRow(c, db, id)) {
                if (System.nanoTime() > deadline) {
                    fail("the fence row " + id + " did not reach the target within " + WAIT.toSeconds() + " s");
                }
                Thread.sleep(50); // polling the target: it has no other signal
            }
        }
    }

    private static boolean hasRow(Connection c, String db, int id) throws SQLException {
        try (Statement st = c.createStatement()) {
            ResultSet tables = st.executeQuery("SELECT 1 FROM information_schema.tables WHERE table_schema = '" + db
                    + "' AND table_name = 'orders'");
            if (!tables.next()) {
                return false;
            }
            return st.executeQuery("SELECT 1 FROM \"" + db + "\".orders WHERE id = " + id)
                    .next();
        }
    }

    private static List<String> sourceRows(Connection c, String db) throws SQLException {
        return Sql.column(c, "SELECT " + OrderChanges.SOURCE_ROW + " FROM " + db + ".orders ORDER BY id");
    }

    /** The target's rows; with soft deletes those not marked deleted. */
    private static List<String> targetRows(TestPostgres target, String db, boolean soft) throws SQLException {
        try (Connection c = target.connect()) {
            return Sql.column(
                    c,
                    "SELECT " + TARGET_ROW + " FROM \"" + db + "\".orders " + (soft ? "WHERE NOT _sluice_deleted " : "")
                            + "ORDER BY id");
        }
    }

    /** Soft deletes: each row marked deleted, with its version ({@code id@ordinal/event}). */
    private static List<String> softDeleted(TestPostgres target, String db) throws SQLException {
        try (Connection c = target.connect()) {
            return Sql.column(
                    c,
                    "SELECT id || '@' || _sluice_ordinal || '/' || _sluice_event FROM \"" + db
                            + "\".orders WHERE _sluice_deleted ORDER BY id");
        }
    }

    /**
     * The keys whose last change in the topic is a delete (a delete, or an update that moved the key away), each
     * with that change's source version: what soft deletes must leave marked.
     */
    private static List<String> deletedInSource(Map<ConfigKey<?>, Object> capture, String db) {
        String topic = new TopicNames((String) capture.get(KAFKA_TOPIC_PREFIX)).table(db, "orders");
        Map<Integer, String> last = new TreeMap<>();
        try (TopicReader reader =
                new TopicReader(TestServers.kafka().bootstrapServers(), Pattern.compile(Pattern.quote(topic)))) {
            for (TopicReader.Rec r : reader.drain(Duration.ofSeconds(2))) {
                if (!r.isChange()) {
                    continue;
                }
                String version = "@" + r.source().ordinal() + "/" + r.source().event();
                JsonNode before = r.before();
                JsonNode after = r.after();
                if (before != null && !before.isNull()) {
                    last.put(before.get("id").asInt(), "deleted" + version);
                }
                if (after != null && !after.isNull()) {
                    last.put(after.get("id").asInt(), "live");
                }
            }
        }
        List<String> deleted = new ArrayList<>();
        last.forEach((id, state) -> {
            if (state.startsWith("deleted")) {
                deleted.add(id + state.substring("deleted".length()));
            }
        });
        return deleted;
    }

    private static List<String> versions(TestPostgres target, String db) throws SQLException {
        try (Connection c = target.connect()) {
            List<String> v = Sql.column(
                    c,
                    "SELECT id || '@' || _sluice_ordinal || '/' || _sluice_event FROM \"" + db
                            + "\".orders ORDER BY id");
            assertFalse(v.isEmpty());
            return v;
        }
    }
}
