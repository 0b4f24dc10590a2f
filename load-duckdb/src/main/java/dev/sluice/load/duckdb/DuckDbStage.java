package dev.sluice.load.duckdb;

import dev.sluice.load.RowChange;
import dev.sluice.load.sql.SqlTarget;
import dev.sluice.load.sql.TargetTable;
import dev.sluice.load.sql.ValuePolicy;
import dev.sluice.schema.ColumnDefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * A session's temporary staging for the rows of one target table under one schema version. DuckDB's Appender writes
 * typed vectors and casts nothing, so the rows are appended as text (bytes for BLOB columns) into a raw temporary
 * table, and a temporary view casts each column to its DuckDB type — DuckDB's own exact casts (DECIMAL digits,
 * intervals, instants) — for the apply's set-based statements to read.
 *
 * <p>Used by one session's thread; lives as long as its session (or until a rollback, which drops it).
 */
final class DuckDbStage implements SqlTarget.Staging {
    private final String raw;
    private final String view;
    private final List<ColumnDefinition> columns;
    private final List<String> types;
    private final ValuePolicy values;

    DuckDbStage(String name, List<ColumnDefinition> columns, ValuePolicy values) {
        this.raw = name + "_raw";
        this.view = name;
        this.columns = columns;
        this.types = columns.stream().map(DuckDbTypes.INSTANCE::typeOf).toList();
        this.values = values;
    }

    @Override
    public String name() {
        return TargetTable.quote(view);
    }

    @Override
    public List<String> columnNames() {
        return columns.stream().map(ColumnDefinition::name).toList();
    }

    @Override
    public void create(Connection c) throws SQLException {
        StringBuilder rawColumns = new StringBuilder();
        StringBuilder casts = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            String name = TargetTable.quote(columns.get(i).name());
            String type = types.get(i);
            rawColumns.append(name).append(DuckDbCells.isBinary(type) ? " blob, " : " varchar, ");
            casts.append("CAST(")
                    .append(name)
                    .append(" AS ")
                    .append(type)
                    .append(") AS ")
                    .append(name)
                    .append(", ");
        }
        try (Statement st = c.createStatement()) {
            st.execute(
                    "CREATE TEMPORARY TABLE " + TargetTable.quote(raw) + " (" + rawColumns
                            + "_sluice_ordinal bigint NOT NULL, _sluice_event bigint NOT NULL, _sluice_delete boolean NOT NULL)");
            st.execute("CREATE TEMPORARY VIEW " + name() + " AS SELECT " + casts
                    + "_sluice_ordinal, _sluice_event, _sluice_delete FROM " + TargetTable.quote(raw));
        }
    }

    @Override
    public void load(Connection c, List<RowChange> rows) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM " + TargetTable.quote(raw));
        }
        try (DuckDBAppender appender = c.unwrap(DuckDBConnection.class).createAppender("temp", "main", raw)) {
            for (RowChange row : rows) {
                appendRow(appender, row);
            }
        }
    }

    private void appendRow(DuckDBAppender appender, RowChange row) throws SQLException {
        boolean delete = row.kind() == RowChange.Kind.DELETE;
        appender.beginRow();
        for (int i = 0; i < columns.size(); i++) {
            ColumnDefinition column = columns.get(i);
            // A delete stages only its key: the other columns of its before image are not written anywhere.
            String value =
                    delete && !row.schema().primaryKey().contains(column.name()) ? null : values.value(column, row);
            if (DuckDbCells.isBinary(types.get(i))) {
                appender.append(value == null ? null : Base64.getDecoder().decode(value));
            } else {
                appender.append(value);
            }
        }
        appender.append(row.version().ordinal());
        appender.append(row.version().event());
        appender.append(delete);
        appender.endRow();
    }
}
