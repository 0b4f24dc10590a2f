package dev.sluice.load.duckdb;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.LoadConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.load.InProcessLoader;
import dev.sluice.load.OrderChanges;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.Sql;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The change topics of a live capture loaded into a DuckDB file: the target equals the source, and a replay from
 * offset 0 changes no row's version — with hard deletes (tombstones) and soft deletes (rows kept, marked).
 */
class DuckDbLoadTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TARGET_ROW = "concat_ws('|', id, COALESCE(CAST(total AS VARCHAR), '-'), "
            + "COALESCE(note, '-'), COALESCE(strftime(placed, '%Y-%m-%d %H:%M:%S.%f'), '-'), "
            + "COALESCE(CAST(big AS VARCHAR), '-'))";

    private final MariaDbServer source = TestServers.mariadb114();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "load.deletes {0}")
    @ValueSource(strings = {"hard", "soft"})
    void insertsUpdatesDeletesAndKeyChangesArriveExactlyAndAReplayChangesNothing(String deletes) throws Exception {
        boolean soft = deletes.equals("soft");
        String db = TestServers.uniqueName("duck");
        Path file = dir.resolve("lake.duckdb");
        try (Connection src = source.connect()) {
            exec(src, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".orders (" + OrderChanges.COLUMNS + ")");
            Map<ConfigKey<?>, Object> capture = TestConfigs.forDatabase(source, db);
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(capture))) {
                OrderChanges.write(src, db);
                try (InProcessLoader loader = InProcessLoader.start(loadConfig(capture, file, "l1", deletes))) {
                    awaitFence(src, file, db, 1);
                }
                assertEquals(sourceRows(src, db), targetRows(file, db, soft));
                List<String> loaded = versions(file, db);

                try (Connection target = LakeFile.open(file)) {
                    exec(target, "DELETE FROM public._sluice_offsets");
                }
                try (InProcessLoader replay = InProcessLoader.start(loadConfig(capture, file, "l2", deletes))) {
                    awaitFence(src, file, db, 2);
                }
                assertEquals(
                        sourceRows(src, db), targetRows(file, db, soft), "a replay from offset 0 changed the rows");
                List<String> after = versions(file, db);
                assertEquals(loaded.size() + 1, after.size(), "only the second fence row is new");
                assertTrue(after.containsAll(loaded), "a replay changed the version of a row");
            }
        }
    }

    /**
     * Two loaders in one process (DuckDB's lock admits no second one) share the file and, with different names, both
     * load every partition: their batches race for the same offset rows. They apply one at a time, the one that finds
     * its offset moved writes nothing, and the target equals the source. Run side by side, DuckDB's transactions
     * failed here with a duplicate key instead of a conflict.
     */
    @Test
    void twoLoadersRacingForTheSameOffsetsLoadEachChangeOnce() throws Exception {
        String db = TestServers.uniqueName("duck2");
        Path file = dir.resolve("race.duckdb");
        try (Connection src = source.connect()) {
            exec(src, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".orders (" + OrderChanges.COLUMNS + ")");
            Map<ConfigKey<?>, Object> capture = TestConfigs.forDatabase(source, db);
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(capture));
                    InProcessLoader first = InProcessLoader.start(loadConfig(capture, file, "a", "hard"));
                    InProcessLoader second = InProcessLoader.start(loadConfig(capture, file, "b", "hard"))) {
                OrderChanges.write(src, db);
                awaitFence(src, file, db, 1);
                assertEquals(sourceRows(src, db), targetRows(file, db, false));
                System.out.printf(
                        "DuckDbLoadTest: two loaders, %d and %d batches, %d and %d conflicts%n",
                        first.stats().batches(),
                        second.stats().batches(),
                        first.stats().conflicts(),
                        second.stats().conflicts());
            }
        }
    }

    static LoadConfig loadConfig(Map<ConfigKey<?>, Object> capture, Path file, String name, String deletes) {
        return LakeFile.loadConfig(capture, file, name, Map.of(LOAD_WORKERS, 2, LOAD_DELETES, deletes));
    }

    /** A row written last in the source; once it is in the target, everything before it is. */
    private static void awaitFence(Connection src, Path file, String db, int n) throws Exception {
        int id = 900_000 + n;
        exec(src, "INSERT INTO " + db + ".orders (id) VALUES (" + id + ")");
        LakeFile.awaitRows(file, db, "orders", "id = " + id, 1, null, WAIT);
    }

    private static List<String> sourceRows(Connection c, String db) throws SQLException {
        return Sql.column(c, "SELECT " + OrderChanges.SOURCE_ROW + " FROM " + db + ".orders ORDER BY id");
    }

    /** The target's rows; with soft deletes those not marked deleted. */
    private static List<String> targetRows(Path file, String db, boolean soft) throws SQLException {
        try (Connection c = LakeFile.open(file)) {
            return Sql.column(
                    c,
                    "SELECT " + TARGET_ROW + " FROM \"" + db + "\".orders " + (soft ? "WHERE NOT _sluice_deleted " : "")
                            + "ORDER BY id");
        }
    }

    /** Every row's version ({@code id@ordinal/event}), deleted-marked rows included. */
    private static List<String> versions(Path file, String db) throws SQLException {
        try (Connection c = LakeFile.open(file)) {
            List<String> v = Sql.column(
                    c,
                    "SELECT id || '@' || _sluice_ordinal || '/' || _sluice_event FROM \"" + db
                            + "\".orders ORDER BY id");
            assertFalse(v.isEmpty());
            return v;
        }
    }
}
