package dev.sluice.schema;

import java.util.List;

/**
 * A table's columns and primary key as of one TABLE_MAP event. Rows are always decoded with the schema the
 * binlog sent alongside them, so a schema change (ALTER TABLE) takes effect exactly at the first row written
 * after it, never earlier or later.
 *
 * @param primaryKey column indexes of the primary key in key order; empty when the table has none
 */
public record TableSchema(long tableId, String database, String table, List<Column> columns, int[] primaryKey) {
    public boolean hasPrimaryKey() {
        return primaryKey.length > 0;
    }

    public String qualifiedName() {
        return database + "." + table;
    }
}
