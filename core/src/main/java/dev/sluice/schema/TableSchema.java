package dev.sluice.schema;

import java.util.Arrays;
import java.util.List;

/**
 * A table's columns and primary key as of one TABLE_MAP event. Rows are always decoded with the schema the
 * binlog sent alongside them, so a schema change (ALTER TABLE) takes effect exactly at the first row written
 * after it, never earlier or later.
 *
 * @param primaryKey  column indexes of the primary key in key order; empty when the table has none
 * @param definitions each column's source type as the {@code _schemas} topic publishes it, in column order; empty
 *                    where a schema was built without them (tests)
 */
public record TableSchema(
        long tableId,
        String database,
        String table,
        List<Column> columns,
        int[] primaryKey,
        List<ColumnDefinition> definitions) {
    public TableSchema(long tableId, String database, String table, List<Column> columns, int[] primaryKey) {
        this(tableId, database, table, columns, primaryKey, List.of());
    }

    /** The primary key's column names in key order. */
    public List<String> primaryKeyNames() {
        return Arrays.stream(primaryKey).mapToObj(i -> columns.get(i).name()).toList();
    }

    public boolean hasPrimaryKey() {
        return primaryKey.length > 0;
    }

    public String qualifiedName() {
        return database + "." + table;
    }
}
