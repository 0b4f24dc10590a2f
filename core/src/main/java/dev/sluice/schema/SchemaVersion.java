package dev.sluice.schema;

import java.util.List;
import java.util.Objects;

/**
 * One version of a captured table's schema, as the {@code <prefix>._schemas} topic holds it (format on
 * {@link TableSchemaJson}). Versions of a table are numbered from 1; every change event names the version it was
 * encoded with in {@code source.schema_version}. A new version is made when the table's columns or primary key
 * differ from its previous version; a change that leaves them as they are (an index, a comment) makes none.
 *
 * @param columns    the columns in table order
 * @param primaryKey the names of the primary key's columns in key order (the binlog's primary key: the PRIMARY KEY,
 *                   or the first NOT NULL unique key the server uses in its place); empty without one
 * @param from       the first event published with this version
 */
public record SchemaVersion(
        String database,
        String table,
        long version,
        List<ColumnDefinition> columns,
        List<String> primaryKey,
        AppliesFrom from) {
    public SchemaVersion {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        Objects.requireNonNull(from, "from");
    }

    public String qualifiedName() {
        return database + "." + table;
    }

    /** Same columns and key: an event encoded with one can be decoded with the other. */
    public boolean sameShape(List<ColumnDefinition> otherColumns, List<String> otherKey) {
        return columns.equals(otherColumns) && primaryKey.equals(otherKey);
    }

    /**
     * Where a version was first used: the {@code source} fields of the first change event that names it. For a
     * streamed event the GTID, its event index, the rows event's binlog file and offset and the commit time; for a
     * copied row ({@code snapshot}) no GTID, and the coordinates its chunk was read at.
     */
    public record AppliesFrom(boolean snapshot, String gtid, long event, String file, long pos, long tsMs) {}
}
