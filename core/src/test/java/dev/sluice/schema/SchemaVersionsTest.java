package dev.sluice.schema;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Version numbering: one new version per change of shape, none without one, continued after a restart. */
class SchemaVersionsTest {
    private static final SchemaVersion.AppliesFrom FROM =
            new SchemaVersion.AppliesFrom(false, "0-1-1", 0, "mysql-bin.000001", 4, 0);

    private static TableSchema table(String name, List<String> key, ColumnDefinition... columns) {
        List<Column> cols = new ArrayList<>();
        for (ColumnDefinition d : columns) {
            cols.add(new Column(d.name(), ColumnKind.INT, 0, false, null, List.of()));
        }
        int[] pk = key.stream()
                .mapToInt(k -> cols.indexOf(cols.stream()
                        .filter(c -> c.name().equals(k))
                        .findFirst()
                        .orElseThrow()))
                .toArray();
        return new TableSchema(1, "db", name, cols, pk, List.of(columns));
    }

    private static final ColumnDefinition ID =
            ColumnDefinition.of("id", "int", false).withUnsigned(false);
    private static final ColumnDefinition A =
            ColumnDefinition.of("a", "int", true).withUnsigned(false);

    @Test
    void aTableStartsAtOneAndKeepsItsNumberWhileItsShapeStays() {
        SchemaVersions versions = new SchemaVersions(List.of());
        assertEquals(1, versions.versionOf(table("t", List.of("id"), ID)));
        assertEquals(1, versions.versionOf(table("t", List.of("id"), ID)), "an index or a comment changes nothing");
        assertEquals(1, versions.versionOf(table("u", List.of("id"), ID)), "each table is numbered on its own");
    }

    @Test
    void everyChangeOfColumnsOrKeyIsANewVersionEvenBackToAnEarlierShape() {
        SchemaVersions versions = new SchemaVersions(List.of());
        assertEquals(1, versions.versionOf(table("t", List.of("id"), ID)));
        assertEquals(2, versions.versionOf(table("t", List.of("id"), ID, A)), "a column added");
        assertEquals(3, versions.versionOf(table("t", List.of("id"), ID, A.withUnsigned(true))), "a column modified");
        assertEquals(4, versions.versionOf(table("t", List.of("id", "a"), ID, A.withUnsigned(true))), "a new key");
        assertEquals(5, versions.versionOf(table("t", List.of("id"), ID)), "back to the first shape: still new");
    }

    @Test
    void aRestartContinuesFromTheCommittedVersions() {
        SchemaVersion v1 = new SchemaVersion("db", "t", 1, List.of(ID), List.of("id"), FROM);
        SchemaVersion v2 = new SchemaVersion("db", "t", 2, List.of(ID, A), List.of("id"), FROM);
        SchemaVersions versions = new SchemaVersions(List.of(v2, v1));
        assertEquals(2, versions.versionOf(table("t", List.of("id"), ID, A)), "the latest committed shape");
        assertFalse(versions.firstUse("db", "t", 2), "committed already: never written again");
        assertEquals(3, versions.versionOf(table("t", List.of("id"), ID)), "a committed number is never reused");
    }

    @Test
    void eachVersionIsRecordedOnce() {
        SchemaVersions versions = new SchemaVersions(List.of());
        long v = versions.versionOf(table("t", List.of("id"), ID));
        assertTrue(versions.firstUse("db", "t", v));
        assertFalse(versions.firstUse("db", "t", v));
        assertTrue(versions.firstUse("db", "u", v), "the same number of another table is another version");
    }
}
