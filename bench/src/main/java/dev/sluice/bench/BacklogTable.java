package dev.sluice.bench;

import java.util.List;

/**
 * A table a workload writes: where it is, the statement that creates it before the backlog, and the columns the
 * checks compare as they are after the backlog (W7 adds one halfway). The first column is the integer primary key
 * every workload table has, so a row is found by it in the source and in the topic.
 */
public record BacklogTable(String database, String name, String ddl, List<CheckedColumn> columns) {
    public BacklogTable {
        columns = List.copyOf(columns);
        if (columns.isEmpty() || columns.get(0).kind() != CheckedColumn.Kind.NUMBER) {
            throw new IllegalArgumentException(name + ": the first checked column must be the integer key");
        }
    }

    public String qualifiedName() {
        return database + "." + name;
    }

    /** The columns a system's output is compared on: all for Sluice, those it writes as the source text for Debezium. */
    public List<CheckedColumn> columns(Representation representation) {
        return representation == Representation.SLUICE
                ? columns
                : columns.stream().filter(CheckedColumn::sameInDebezium).toList();
    }

    /** The same table with one more checked column, e.g. after an ALTER TABLE ... ADD COLUMN. */
    public BacklogTable withColumns(List<CheckedColumn> finalColumns) {
        return new BacklogTable(database, name, ddl, finalColumns);
    }
}
