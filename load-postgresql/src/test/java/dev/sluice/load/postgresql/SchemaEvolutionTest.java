package dev.sluice.load.postgresql;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.LoadConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.load.InProcessLoader;
import dev.sluice.load.LoadSettings;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.Sql;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestPostgres;
import dev.sluice.testkit.TestServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The source's DDL under writes, followed by a live loader at exactly its position: after each ADD COLUMN (at the
 * end, and in the middle with AFTER), DROP COLUMN and widening (INT to BIGINT, VARCHAR(20) to VARCHAR(50), DECIMAL(8,2)
 * to DECIMAL(12,4)) the target equals the source, and a row written before the DDL keeps its values. A narrowing stops
 * the loader (exit 6) naming table, column and version, with the target holding every row written before it.
 */
class SchemaEvolutionTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    private final MariaDbServer source = TestServers.mariadb114();
    private int fences;
    private int nextId = 1;

    @Test
    void addedDroppedAndWidenedColumnsAreFollowedAndANarrowingStopsTheLoaderThere() throws Exception {
        String db = TestServers.uniqueName("levolve");
        String t = db + ".items";
        try (TestPostgres target = TestPostgres.freshDatabase("levolve");
                Connection src = source.connect()) {
            exec(
                    src,
                    "CREATE DATABASE " + db,
                    "CREATE TABLE " + t + " (id INT PRIMARY KEY, qty INT, name VARCHAR(20), price DECIMAL(8,2), "
                            + "gone VARCHAR(10))");
            Map<ConfigKey<?>, Object> capture = TestConfigs.forDatabase(source, db);
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(capture))) {
                InProcessLoader loader = InProcessLoader.start(loadConfig(capture, target, "keep"));
                try {
                    followsEachDdlAndStopsAtTheNarrowing(src, target, db, loader);
                } finally {
                    if (loader.failure() == null) {
                        loader.close(); // a loader that failed has stopped: its failure is what the test checks
                    }
                }
            }
        }
    }

    private void followsEachDdlAndStopsAtTheNarrowing(
            Connection src, TestPostgres target, String db, InProcessLoader loader) throws Exception {
        String t = db + ".items";
        writes(src, t, "qty, name, price, gone", "7, 'before', 1.50, 'was here'");
        String rowBefore = sourceRow(src, t, 1, "qty, name");
        assertSame(src, target, db, loader, "the first version");

        ddlUnderWrites(src, t, "ALTER TABLE " + t + " ADD COLUMN note VARCHAR(30)", "note", "'added'");
        assertSame(src, target, db, loader, "ADD COLUMN at the end");
        ddlUnderWrites(src, t, "ALTER TABLE " + t + " ADD COLUMN mid INT AFTER id", "mid", "42");
        assertSame(src, target, db, loader, "ADD COLUMN ... AFTER id");
        ddlUnderWrites(src, t, "ALTER TABLE " + t + " DROP COLUMN gone", "qty", "8");
        assertSame(src, target, db, loader, "DROP COLUMN");
        assertEquals("was here", targetValue(target, db, 1, "gone"), "the dropped column is kept");
        ddlUnderWrites(src, t, "ALTER TABLE " + t + " MODIFY qty BIGINT", "qty", "1099511627776");
        ddlUnderWrites(src, t, "ALTER TABLE " + t + " MODIFY name VARCHAR(50)", "name", "REPEAT('w', 50)");
        ddlUnderWrites(src, t, "ALTER TABLE " + t + " MODIFY price DECIMAL(12,4)", "price", "12345678.1234");
        assertSame(src, target, db, loader, "INT to BIGINT, VARCHAR(20) to VARCHAR(50), DECIMAL(8,2) to (12,4)");
        assertEquals(rowBefore, targetRow(target, db, 1, "qty, name"), "a row written before the DDL");
        assertEquals("1.5000", targetValue(target, db, 1, "price"), "its DECIMAL(8,2) 1.50, widened to (12,4)");
        List<String> beforeNarrowing = sourceRows(src, t);
        List<String> columnsBefore = columns(src, t);

        exec(src, "ALTER TABLE " + t + " MODIFY note VARCHAR(10)");
        writes(src, t, "note", "'narrow'");
        Throwable failure = loader.awaitFailure(WAIT);
        assertNotNull(failure, "the loader followed a narrowing");
        SluiceException stop = assertInstanceOf(SluiceException.class, failure);
        assertEquals(ExitCode.DATA, stop.exitCode());
        for (String part : List.of(t, "'note'", "varchar(30)", "varchar(10)", "GTID", "sluice snapshot")) {
            assertTrue(stop.getMessage().contains(part), "the message names " + part + ": " + stop);
        }
        assertEquals(beforeNarrowing, targetRows(target, db, columnsBefore), "the target stops at the DDL");
    }

    @Test
    void aDroppedColumnIsDroppedToWithDroppedColumnsDrop() throws Exception {
        String db = TestServers.uniqueName("ldrop");
        String t = db + ".items";
        try (TestPostgres target = TestPostgres.freshDatabase("ldrop");
                Connection src = source.connect()) {
            exec(src, "CREATE DATABASE " + db, "CREATE TABLE " + t + " (id INT PRIMARY KEY, qty INT, gone INT)");
            Map<ConfigKey<?>, Object> capture = TestConfigs.forDatabase(source, db);
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(capture));
                    InProcessLoader loader = InProcessLoader.start(loadConfig(capture, target, "drop"))) {
                writes(src, t, "qty, gone", "1, 2");
                ddlUnderWrites(src, t, "ALTER TABLE " + t + " DROP COLUMN gone", "qty", "3");
                assertSame(src, target, db, loader, "DROP COLUMN with load.dropped-columns: drop");
                try (Connection pg = target.connect()) {
                    assertFalse(targetColumns(pg, db).contains("gone"), "the target column is dropped");
                }
            }
        }
    }

    // --- writes ----------------------------------------------------------------------------------------------------

    /** Writes before, the DDL, and writes after it in {@code column} (new rows and an update of an older one). */
    private void ddlUnderWrites(Connection src, String t, String ddl, String column, String value) throws SQLException {
        writes(src, t, "qty", "11");
        exec(src, ddl);
        writes(src, t, column, value);
    }

    /** Five new rows with {@code values} in {@code columns}, and an update of an earlier row. */
    private void writes(Connection src, String t, String columns, String values) throws SQLException {
        for (int i = 0; i < 5; i++) {
            exec(src, "INSERT INTO " + t + " (id, " + columns + ") VALUES (" + nextId++ + ", " + values + ")");
        }
        if (nextId > 7) {
            boolean one = !columns.contains(",");
            String set = one ? columns : columns.split(",")[0].strip();
            String value = one ? values : values.split(",")[0];
            exec(src, "UPDATE " + t + " SET " + set + " = " + value + " WHERE id = " + (nextId - 7));
        }
    }

    private static LoadConfig loadConfig(Map<ConfigKey<?>, Object> capture, TestPostgres target, String dropped) {
        Map<ConfigKey<?>, Object> m = PostgresSettings.forCapture(capture, target, "evolve");
        m.put(LOAD_DROPPED_COLUMNS, dropped);
        return LoadSettings.config(m);
    }

    // --- comparison ------------------------------------------------------------------------------------------------

    /** A fence row written last reaches the target; then the target's rows equal the source's, in its columns. */
    private void assertSame(Connection src, TestPostgres target, String db, InProcessLoader loader, String after)
            throws Exception {
        String t = db + ".items";
        int fence = 900_000 + ++fences;
        exec(src, "INSERT INTO " + t + " (id) VALUES (" + fence + ")");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (targetValue(target, db, fence, "id") == null) {
            if (loader.failure() != null) {
                throw new AssertionError("the loader stopped after " + after, loader.failure());
            }
            if (System.nanoTime() > deadline) {
                fail("the fence row " + fence + " did not reach the target after " + after);
            }
            Thread.sleep(50); // polling the target: it has no other signal
        }
        assertEquals(sourceRows(src, t), targetRows(target, db, columns(src, t)), "after " + after);
    }

    private static List<String> columns(Connection src, String t) throws SQLException {
        String[] dbTable = t.split("\\.");
        return Sql.column(
                src,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = '" + dbTable[0]
                        + "' AND table_name = '" + dbTable[1] + "' ORDER BY ordinal_position");
    }

    private static List<String> sourceRows(Connection src, String t) throws SQLException {
        String row = columns(src, t).stream()
                .map(c -> "COALESCE(CAST(" + c + " AS CHAR), '-')")
                .collect(Collectors.joining(", ", "CONCAT_WS('|', ", ")"));
        return Sql.column(src, "SELECT " + row + " FROM " + t + " ORDER BY id");
    }

    private static List<String> targetRows(TestPostgres target, String db, List<String> columns) throws SQLException {
        String row = columns.stream()
                .map(c -> "COALESCE(\"" + c + "\"::text, '-')")
                .collect(Collectors.joining(", ", "concat_ws('|', ", ")"));
        try (Connection c = target.connect()) {
            return Sql.column(c, "SELECT " + row + " FROM \"" + db + "\".items ORDER BY id");
        }
    }

    private static String sourceRow(Connection src, String t, int id, String columns) throws SQLException {
        String row = List.of(columns.split(",\\s*")).stream()
                .map(c -> "COALESCE(CAST(" + c + " AS CHAR), '-')")
                .collect(Collectors.joining(", ", "CONCAT_WS('|', ", ")"));
        return Sql.column(src, "SELECT " + row + " FROM " + t + " WHERE id = " + id)
                .get(0);
    }

    private static String targetRow(TestPostgres target, String db, int id, String columns) throws SQLException {
        String row = List.of(columns.split(",\\s*")).stream()
                .map(c -> "COALESCE(\"" + c + "\"::text, '-')")
                .collect(Collectors.joining(", ", "concat_ws('|', ", ")"));
        try (Connection c = target.connect()) {
            return Sql.column(c, "SELECT " + row + " FROM \"" + db + "\".items WHERE id = " + id)
                    .get(0);
        }
    }

    /** One value of the target's row {@code id}; null when the table or the row is not there (yet). */
    private static String targetValue(TestPostgres target, String db, int id, String column) throws SQLException {
        try (Connection c = target.connect()) {
            if (!targetColumns(c, db).contains(column)) {
                return null;
            }
            List<String> v =
                    Sql.column(c, "SELECT \"" + column + "\"::text FROM \"" + db + "\".items WHERE id = " + id);
            return v.isEmpty() ? null : v.get(0);
        }
    }

    private static List<String> targetColumns(Connection c, String db) throws SQLException {
        return Sql.column(
                c,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = '" + db
                        + "' AND table_name = 'items'");
    }
}
