package dev.sluice.load.duckdb;

import static dev.sluice.config.ConfigKeys.*;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.LoadConfig;
import dev.sluice.load.InProcessLoader;
import dev.sluice.load.LoadSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * The DuckDB file a test loads into, read from the test's JVM. In the loader's JVM the driver hands out the instance
 * the loader holds, so the test reads while the loader runs; another process could not open the file at all.
 */
final class LakeFile {
    private LakeFile() {}

    /** A loader of the capture's topics into {@code file}, named {@code name}; {@code extra} adds or overrides keys. */
    static LoadConfig loadConfig(
            Map<ConfigKey<?>, Object> capture, Path file, String name, Map<ConfigKey<?>, Object> extra) {
        Map<ConfigKey<?>, Object> m = LoadSettings.forCapture(capture, name);
        m.put(TARGET_TYPE, "duckdb");
        m.put(TARGET_URL, "jdbc:duckdb:" + file);
        m.putAll(extra);
        return LoadSettings.config(m);
    }

    static Connection open(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + file);
    }

    /** Rows of {@code db.table} matching {@code where}; 0 while the file or the table does not exist. */
    static long count(Path file, String db, String table, String where) throws SQLException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Connection c = open(file);
                Statement st = c.createStatement()) {
            ResultSet exists = st.executeQuery("SELECT 1 FROM information_schema.tables WHERE table_schema = '" + db
                    + "' AND table_name = '" + table + "'");
            if (!exists.next()) {
                return 0;
            }
            ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + db + "\".\"" + table + "\" WHERE " + where);
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Waits until {@code db.table} has {@code rows} rows matching {@code where}; fails when the loader stops. */
    static void awaitRows(
            Path file, String db, String table, String where, long rows, InProcessLoader loader, Duration wait)
            throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (count(file, db, table, where) < rows) {
            if (loader != null && loader.failure() != null) {
                throw new AssertionError("the loader stopped", loader.failure());
            }
            if (System.nanoTime() > deadline) {
                fail(db + "." + table + " did not have " + rows + " rows (" + where + ") within " + wait.toSeconds()
                        + " s");
            }
            Thread.sleep(50); // polling the target: it has no other signal
        }
    }
}
