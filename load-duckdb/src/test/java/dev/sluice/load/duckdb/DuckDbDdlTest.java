package dev.sluice.load.duckdb;

import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.LoadConfig;
import dev.sluice.load.LoadStats;
import dev.sluice.load.Target;
import dev.sluice.schema.ColumnDefinition;
import dev.sluice.schema.SchemaVersion;
import dev.sluice.testkit.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DDL of the DuckDB target: its types, which changes it follows, and the dry run, which writes nothing. */
class DuckDbDdlTest {
    private static final DuckDbTypes TYPES = DuckDbTypes.INSTANCE;

    @TempDir
    Path dir;

    @Test
    void mapsTheTypesDuckDbHoldsDifferently() {
        assertEquals("varchar", TYPES.typeOf(decimal(65, 30)), "wider than DuckDB's 38 digits: the exact text");
        assertEquals("decimal(38,10)", TYPES.typeOf(decimal(38, 10)));
        assertEquals(
                "ubigint", TYPES.typeOf(ColumnDefinition.of("c", "bigint", true).withUnsigned(true)));
        assertEquals("interval", TYPES.typeOf(ColumnDefinition.of("c", "time", true)));
        assertEquals("timestamptz", TYPES.typeOf(ColumnDefinition.of("c", "timestamp", true)));
        assertEquals(
                "ubigint", TYPES.typeOf(ColumnDefinition.of("c", "bit", true).withLength(64L)));
        assertEquals(
                "boolean", TYPES.typeOf(ColumnDefinition.of("c", "bit", true).withLength(1L)));
    }

    @Test
    void widensOnlyWhereEveryOldValueFitsExactly() {
        assertTrue(TYPES.widens("integer", "bigint"));
        assertFalse(TYPES.widens("bigint", "integer"));
        assertTrue(TYPES.widens("uinteger", "bigint"), "every UINTEGER is a BIGINT");
        assertFalse(TYPES.widens("ubigint", "bigint"), "18446744073709551615 is no BIGINT");
        assertTrue(TYPES.widens("decimal(10,2)", "decimal(12,3)"));
        assertFalse(TYPES.widens("decimal(10,2)", "decimal(10,3)"), "one integer digit fewer");
        assertTrue(TYPES.widens("float", "double"));
        assertFalse(TYPES.widens("varchar", "integer"));
    }

    @Test
    void theDryRunCreatesNoFileAndItsDdlRunsOnDuckDb() throws Exception {
        Path file = dir.resolve("plan.duckdb");
        LoadConfig config = OpenTarget.config(file.toString());
        SchemaVersion v = version();
        List<String> before = new DuckDbDriver().plan(config, List.of(v));
        assertFalse(Files.exists(file), "the dry run created the file");
        assertTrue(before.stream().anyMatch(s -> s.startsWith("CREATE TABLE \"shop\".\"orders\"")), before.toString());

        try (Target target = new DuckDbDriver().open(config, new LoadStats())) {
            target.describe();
        }
        List<String> after = new DuckDbDriver().plan(config, List.of(v));
        assertEquals(before, after, "the table is not created yet: the same plan, read from the file");
        try (Connection c = LakeFile.open(file)) {
            exec(c, after.toArray(String[]::new));
            assertEquals(
                    List.of("id:BIGINT", "total:VARCHAR", "big:UBIGINT", "t:INTERVAL", "b:BLOB"),
                    Sql.column(
                            c,
                            "SELECT column_name || ':' || data_type FROM information_schema.columns WHERE "
                                    + "table_schema = 'shop' AND table_name = 'orders' AND column_name NOT LIKE "
                                    + "'\\_sluice%' ESCAPE '\\' ORDER BY ordinal_position"));
        }
    }

    private static SchemaVersion version() {
        return new SchemaVersion(
                "shop",
                "orders",
                1,
                List.of(
                        ColumnDefinition.of("id", "bigint", false),
                        ColumnDefinition.of("total", "decimal", true).withDecimal(65, 30),
                        ColumnDefinition.of("big", "bigint", true).withUnsigned(true),
                        ColumnDefinition.of("t", "time", true),
                        ColumnDefinition.of("b", "blob", true)),
                List.of("id"),
                new SchemaVersion.AppliesFrom(false, "0-1-9", 0, "mysql-bin.000001", 4, 0));
    }

    private static ColumnDefinition decimal(int precision, int scale) {
        return ColumnDefinition.of("c", "decimal", true).withDecimal(precision, scale);
    }
}
