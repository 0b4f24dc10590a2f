package dev.sluice.load.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKeys.DeleteMode;
import dev.sluice.config.ConfigKeys.DroppedColumns;
import dev.sluice.failure.SluiceException;
import dev.sluice.load.sql.TableDdl;
import dev.sluice.load.sql.TargetTable;
import dev.sluice.schema.ColumnDefinition;
import dev.sluice.schema.SchemaVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableDdlTest {
    private static final TargetTable T = new TargetTable("shop", "orders");

    @Test
    void widensOnlyWhereEveryOldValueFitsExactly() {
        assertTrue(PostgresTypes.INSTANCE.widens("smallint", "integer"));
        assertTrue(PostgresTypes.INSTANCE.widens("integer", "bigint"));
        assertTrue(PostgresTypes.INSTANCE.widens("bigint", "numeric(20,0)"));
        assertFalse(PostgresTypes.INSTANCE.widens("bigint", "numeric(18,0)"), "18 digits cannot hold every bigint");
        assertFalse(PostgresTypes.INSTANCE.widens("bigint", "integer"));
        assertTrue(PostgresTypes.INSTANCE.widens("numeric(10,2)", "numeric(12,3)"));
        assertFalse(PostgresTypes.INSTANCE.widens("numeric(10,2)", "numeric(10,3)"), "one integer digit fewer");
        assertFalse(PostgresTypes.INSTANCE.widens("numeric(10,2)", "numeric(12,1)"), "a fraction digit fewer");
        assertTrue(PostgresTypes.INSTANCE.widens("varchar(10)", "varchar(200)"));
        assertTrue(PostgresTypes.INSTANCE.widens("varchar(10)", "text"));
        assertFalse(PostgresTypes.INSTANCE.widens("varchar(200)", "varchar(10)"));
        assertTrue(PostgresTypes.INSTANCE.widens("real", "double precision"));
        assertFalse(PostgresTypes.INSTANCE.widens("double precision", "real"));
        assertTrue(PostgresTypes.INSTANCE.widens("timestamp(3) without time zone", "timestamp(6) without time zone"));
        assertFalse(PostgresTypes.INSTANCE.widens("timestamp(3) without time zone", "timestamp(6) with time zone"));
        assertFalse(PostgresTypes.INSTANCE.widens("text", "integer"));
        assertFalse(PostgresTypes.INSTANCE.widens("bit(8)", "bit(16)"), "bit strings do not widen to the same values");
    }

    @Test
    void followsAddedDroppedAndWidenedColumns() {
        SchemaVersion v1 = version(1, col("id", "int"), col("note", "varchar", 10L), col("old", "int"));
        SchemaVersion v2 = version(2, col("id", "int"), col("note", "varchar", 50L), col("extra", "bigint"));
        TableDdl keep = new TableDdl(DeleteMode.HARD, DroppedColumns.KEEP, PostgresTypes.INSTANCE);
        assertEquals(
                List.of(
                        "ALTER TABLE \"shop\".\"orders\" ALTER COLUMN \"note\" TYPE varchar(50)",
                        "ALTER TABLE \"shop\".\"orders\" ADD COLUMN \"extra\" bigint"),
                keep.evolve(T, v1, v2));
        TableDdl drop = new TableDdl(DeleteMode.HARD, DroppedColumns.DROP, PostgresTypes.INSTANCE);
        assertTrue(drop.evolve(T, v1, v2).contains("ALTER TABLE \"shop\".\"orders\" DROP COLUMN \"old\""));
        assertEquals(List.of("extra"), TableDdl.addedWhileDropping(v1, v2));
    }

    @Test
    void refusesNarrowingAndNewKeysNamingTableColumnAndVersion() {
        SchemaVersion v1 = version(1, col("id", "int"), col("note", "varchar", 50L));
        SchemaVersion narrower = version(2, col("id", "int"), col("note", "varchar", 10L));
        TableDdl ddl = new TableDdl(DeleteMode.HARD, DroppedColumns.KEEP, PostgresTypes.INSTANCE);
        SluiceException e = assertThrows(SluiceException.class, () -> ddl.evolve(T, v1, narrower));
        assertTrue(
                e.getMessage().contains("shop.orders")
                        && e.getMessage().contains("'note'")
                        && e.getMessage().contains("version 2")
                        && e.getMessage().contains("0-1-9"),
                e.getMessage());
        SchemaVersion newKey = new SchemaVersion("shop", "orders", 2, v1.columns(), List.of("note"), v1.from());
        assertThrows(SluiceException.class, () -> ddl.evolve(T, v1, newKey));
    }

    @Test
    void createsTheKeyNotNullAndEverythingElseNullable() {
        SchemaVersion v = version(1, col("id", "bigint"), col("total", "decimal"));
        List<String> soft = new TableDdl(DeleteMode.SOFT, DroppedColumns.KEEP, PostgresTypes.INSTANCE).create(T, v);
        assertEquals("CREATE SCHEMA IF NOT EXISTS \"shop\"", soft.get(0));
        String create = soft.get(1);
        assertTrue(create.contains("\"id\" bigint NOT NULL") && create.contains("\"total\" numeric(65,30),"), create);
        assertTrue(create.contains("\"_sluice_deleted\" boolean") && create.contains("PRIMARY KEY (\"id\")"), create);
    }

    private static SchemaVersion version(long n, ColumnDefinition... columns) {
        return new SchemaVersion(
                "shop",
                "orders",
                n,
                List.of(columns),
                List.of("id"),
                new SchemaVersion.AppliesFrom(false, "0-1-9", 0, "mysql-bin.000001", 4, 0));
    }

    private static ColumnDefinition col(String name, String type) {
        ColumnDefinition c = ColumnDefinition.of(name, type, !name.equals("id"));
        return type.equals("decimal") ? c.withDecimal(65, 30) : c;
    }

    private static ColumnDefinition col(String name, String type, Long length) {
        return ColumnDefinition.of(name, type, true).withLength(length);
    }
}
