package dev.sluice.load.duckdb;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.LoadConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.load.InProcessLoader;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.Sql;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The types DuckDB holds differently from PostgreSQL, through a live capture and the loader into a DuckDB file: each
 * value read back equals the source's own JDBC read of it, both rendered as one exact text per value by SQL on each
 * side (never through Sluice's decoder). DECIMAL wider than DuckDB's 38 digits, BIGINT UNSIGNED, TIME beyond a day
 * with microseconds, DATETIME and TIMESTAMP to the microsecond (the source session at +12:45), BIT(64), bytes and
 * text with NUL, UUID; zero dates load as NULL with {@code load.unrepresentable-values: null}, counted.
 */
class DuckDbTypesTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** A column type, its values (SQL literals), and the exact text of a value on each side. */
    private record Case(String type, List<String> values, String source, String target) {}

    private static final List<Case> CASES = List.of(
            new Case(
                    "DECIMAL(65,30)",
                    List.of(
                            "'12345678901234567890123456789012345.123456789012345678901234567890'",
                            "'-0.000000000000000000000000000001'",
                            "0"),
                    "CAST(v AS CHAR)",
                    "v"),
            new Case(
                    "DECIMAL(38,10)",
                    List.of("'9999999999999999999999999999.9999999999'", "'-1.5'", "0"),
                    "CAST(v AS CHAR)",
                    "CAST(v AS VARCHAR)"),
            new Case(
                    "BIGINT UNSIGNED",
                    List.of("18446744073709551615", "9223372036854775808", "0"),
                    "CAST(v AS CHAR)",
                    "CAST(v AS VARCHAR)"),
            new Case(
                    "TIME(6)",
                    List.of("'838:59:59.999999'", "'-838:59:59.000001'", "'-00:00:00.1'", "'25:00:00'"),
                    "CAST(TIME_TO_SEC(v) * 1000000 AS SIGNED)",
                    "CAST(round(epoch(v) * 1000000) AS BIGINT)"),
            new Case(
                    "DATETIME(6)",
                    List.of("'9999-12-31 23:59:59.999999'", "'0001-01-01 00:00:00.000001'", "'2024-02-29 12:00:00'"),
                    "DATE_FORMAT(v, '%Y-%m-%d %H:%i:%s.%f')",
                    "strftime(v, '%Y-%m-%d %H:%M:%S.%f')"),
            new Case(
                    "TIMESTAMP(6)",
                    List.of("'2038-01-19 03:14:07.999999'", "'1970-01-01 12:45:00.000001'", "'2024-03-31 02:30:00'"),
                    "CAST(UNIX_TIMESTAMP(v) * 1000000 AS SIGNED)",
                    "epoch_us(v)"),
            new Case(
                    "BIT(64)",
                    List.of("b'1111111111111111111111111111111111111111111111111111111111111111'", "b'0'", "b'101'"),
                    "CAST(v + 0 AS CHAR)",
                    "CAST(v AS VARCHAR)"),
            new Case("BLOB", List.of("x'00FF00'", "''", "x'DEADBEEF'"), "HEX(v)", "hex(v)"),
            new Case(
                    "VARCHAR(20) CHARACTER SET utf8mb4",
                    List.of("CONCAT('a', CHAR(0), 'b')", "'é🎉'", "''"),
                    "HEX(CONVERT(v USING utf8mb4))",
                    "hex(v)"),
            new Case(
                    "UUID",
                    List.of("'123e4567-e89b-12d3-a456-426614174000'", "'00000000-0000-0000-0000-000000000000'"),
                    "CAST(v AS CHAR)",
                    "CAST(v AS VARCHAR)"),
            new Case(
                    "DATE",
                    List.of("'0000-00-00'", "'0001-01-01'", "'9999-12-31'", "'2024-06-00'"),
                    "IF(DAYOFMONTH(v) = 0 OR MONTH(v) = 0 OR YEAR(v) = 0, NULL, CAST(v AS CHAR))",
                    "CAST(v AS VARCHAR)"));

    /** {@code 0000-00-00} and {@code 2024-06-00}: the dates DuckDB cannot hold, loaded as NULL. */
    private static final int UNREPRESENTABLE = 2;

    private final MariaDbServer source = TestServers.mariadb114();

    @TempDir
    Path dir;

    @Test
    void theHardTypesArriveExactlyAndZeroDatesAsCountedNulls() throws Exception {
        String db = TestServers.uniqueName("ducktypes");
        Path file = dir.resolve("types.duckdb");
        long started = System.nanoTime();
        int compared = 0;
        List<String> failures = new ArrayList<>();
        try (Connection src = source.connect()) {
            exec(src, "CREATE DATABASE " + db);
            for (int t = 0; t < CASES.size(); t++) {
                exec(
                        src,
                        "CREATE TABLE " + db + ".t" + t + " (id INT PRIMARY KEY, v "
                                + CASES.get(t).type() + ")");
            }
            Map<ConfigKey<?>, Object> capture = TestConfigs.forDatabase(source, db);
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(capture));
                    InProcessLoader loader = InProcessLoader.start(loadConfig(capture, file))) {
                insertAll(src, db);
                for (int t = 0; t < CASES.size(); t++) {
                    LakeFile.awaitRows(
                            file, db, "t" + t, "true", CASES.get(t).values().size(), loader, WAIT);
                }
                try (Connection target = LakeFile.open(file)) {
                    for (int t = 0; t < CASES.size(); t++) {
                        Case c = CASES.get(t);
                        List<String> want =
                                values(src, "SELECT " + c.source() + " FROM " + db + ".t" + t + " ORDER BY id");
                        List<String> got =
                                values(target, "SELECT " + c.target() + " FROM \"" + db + "\".t" + t + " ORDER BY id");
                        compared += want.size();
                        if (!want.equals(got)) {
                            failures.add(c.type() + ": source " + want + " | target " + got);
                        }
                    }
                }
                long nulled = loader.stats().valuesNulled().values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                assertEquals(UNREPRESENTABLE, nulled, "the zero dates loaded as NULL, counted");
            }
        }
        System.out.printf(
                "DuckDbTypesTest: %d types, %d values compared, %d failures, %d s%n",
                CASES.size(), compared, failures.size(), (System.nanoTime() - started) / 1_000_000_000);
        assertTrue(compared >= 30, "compared " + compared);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Compares table {@code t} on both sides; returns the number of values compared. */
    private static int compare(Connection src, Connection target, String db, int t, List<String> failures)
            throws SQLException {
        Case c = CASES.get(t);
        List<String> want = values(src, "SELECT " + c.source() + " FROM " + db + ".t" + t + " ORDER BY id");
        List<String> got = values(target, "SELECT " + c.target() + " FROM \"" + db + "\".t" + t + " ORDER BY id");
        if (!want.equals(got)) {
            failures.add(c.type() + ": source " + want + " | target " + got);
        }
        return want.size();
    }

    /**
     * The comparison can fail: after it passed, one value per chosen type is changed in the target by the least step
     * that type shows, and the comparison of that table must then report the difference. Returns what it missed.
     */
    private static List<String> smallDifferencesUnseen(Connection src, Connection target, String db)
            throws SQLException {
        Map<String, String> nudges = new LinkedHashMap<>();
        nudges.put("DECIMAL(65,30)", "v || '0'");
        nudges.put("DECIMAL(38,10)", "v + 0.0000000001");
        nudges.put("BIGINT UNSIGNED", "v - 1");
        nudges.put("TIME(6)", "v + INTERVAL 1 MICROSECOND");
        nudges.put("DATETIME(6)", "v - INTERVAL 1 MICROSECOND");
        nudges.put("TIMESTAMP(6)", "v + INTERVAL 1 MICROSECOND");
        nudges.put("BLOB", "v || '\\x00'::BLOB");
        nudges.put("VARCHAR(20) CHARACTER SET utf8mb4", "v || ' '");
        List<String> missed = new ArrayList<>();
        for (int t = 0; t < CASES.size(); t++) {
            String nudge = nudges.remove(CASES.get(t).type());
            if (nudge == null) {
                continue;
            }
            exec(target, "UPDATE \"" + db + "\".t" + t + " SET v = " + nudge + " WHERE id = 1");
            List<String> seen = new ArrayList<>();
            compare(src, target, db, t, seen);
            if (seen.size() != 1) {
                missed.add(CASES.get(t).type() + ": SET v = " + nudge + " in the target went unseen");
            }
        }
        nudges.keySet().forEach(type -> missed.add("no table of type " + type + " to check the comparison with"));
        return missed;
    }

    /** The source session at +12:45, so a TIMESTAMP passes only as the instant, never as a wall clock. */
    private static void insertAll(Connection src, String db) throws SQLException {
        try (Statement st = src.createStatement()) {
            st.execute("SET SESSION time_zone = '+12:45'");
            st.execute("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'");
            for (int t = 0; t < CASES.size(); t++) {
                List<String> values = CASES.get(t).values();
                for (int i = 0; i < values.size(); i++) {
                    st.execute("INSERT INTO " + db + ".t" + t + " VALUES (" + (i + 1) + ", " + values.get(i) + ")");
                }
            }
            st.execute("SET SESSION sql_mode = DEFAULT");
            st.execute("SET SESSION time_zone = DEFAULT");
        }
    }

    private static LoadConfig loadConfig(Map<ConfigKey<?>, Object> capture, Path file) {
        return LakeFile.loadConfig(capture, file, "types", Map.of(LOAD_UNREPRESENTABLE_VALUES, "null"));
    }

    private static List<String> values(Connection c, String sql) throws SQLException {
        return Sql.column(c, sql);
    }
}
