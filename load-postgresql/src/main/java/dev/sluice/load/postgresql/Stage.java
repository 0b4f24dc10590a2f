package dev.sluice.load.postgresql;

import dev.sluice.load.RowChange;
import dev.sluice.load.sql.Dialect;
import dev.sluice.load.sql.SqlTarget;
import dev.sluice.load.sql.TargetTable;
import dev.sluice.load.sql.ValuePolicy;
import dev.sluice.schema.ColumnDefinition;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A session's temporary staging table for the rows of one target table under one schema version: the version's
 * columns (those the target has) in their PostgreSQL types, and per row its version ({@code _sluice_ordinal},
 * {@code _sluice_event}) and whether it is a delete. PostgreSQL fills it with {@code COPY ... FROM STDIN} in text
 * format, streamed in chunks; Redshift, which copies only from object storage, with batched multi-row inserts. The
 * apply then reads it in set-based statements.
 *
 * <p>Used by one session's thread; lives as long as its session (or until a rollback, which drops it).
 */
final class Stage implements SqlTarget.Staging {
    private static final int CHUNK_CHARS = 1 << 16;
    private static final int INSERT_BATCH = 500;

    private final String name;
    private final List<ColumnDefinition> columns;
    private final Dialect dialect;
    private final ValuePolicy values;

    Stage(String name, List<ColumnDefinition> columns, Dialect dialect, ValuePolicy values) {
        this.name = TargetTable.quote(name);
        this.columns = columns;
        this.dialect = dialect;
        this.values = values;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> columnNames() {
        return columns.stream().map(ColumnDefinition::name).toList();
    }

    @Override
    public void create(Connection c) throws SQLException {
        String cols = columns.stream()
                .map(col -> TargetTable.quote(col.name()) + " " + PostgresTypes.of(col))
                .collect(Collectors.joining(", "));
        try (Statement st = c.createStatement()) {
            st.execute(
                    "CREATE TEMPORARY TABLE " + name + " (" + cols
                            + ", _sluice_ordinal bigint NOT NULL, _sluice_event bigint NOT NULL, _sluice_delete boolean NOT NULL)");
        }
    }

    /** Empties the table and loads {@code rows} into it. */
    @Override
    public void load(Connection c, List<RowChange> rows) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute((dialect == Dialect.POSTGRESQL ? "TRUNCATE " : "DELETE FROM ") + name);
        }
        if (dialect == Dialect.POSTGRESQL) {
            copy(c, rows);
        } else {
            insert(c, rows);
        }
    }

    private void copy(Connection c, List<RowChange> rows) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + name + " (" + TargetTable.quotedList(columnNames())
                        + ", _sluice_ordinal, _sluice_event, _sluice_delete) FROM STDIN");
        try {
            StringBuilder chunk = new StringBuilder(CHUNK_CHARS + 4096);
            for (RowChange row : rows) {
                appendRow(chunk, row);
                if (chunk.length() >= CHUNK_CHARS) {
                    write(in, chunk);
                }
            }
            write(in, chunk);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void write(CopyIn in, StringBuilder chunk) throws SQLException {
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
    }

    private void appendRow(StringBuilder out, RowChange row) {
        boolean delete = row.kind() == RowChange.Kind.DELETE;
        for (ColumnDefinition column : columns) {
            String value = delete && !row.schema().primaryKey().contains(column.name()) ? null : value(column, row);
            if (value == null) {
                out.append("\\N");
            } else {
                CopyText.escape(out, value);
            }
            out.append('\t');
        }
        out.append(row.version().ordinal())
                .append('\t')
                .append(row.version().event())
                .append('\t');
        out.append(delete ? 't' : 'f').append('\n');
    }

    private void insert(Connection c, List<RowChange> rows) throws SQLException {
        String params = columns.stream()
                .map(col -> "CAST(? AS " + PostgresTypes.of(col) + ")")
                .collect(Collectors.joining(", "));
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO " + name + " (" + TargetTable.quotedList(columnNames())
                        + ", _sluice_ordinal, _sluice_event, _sluice_delete) VALUES (" + params + ", ?, ?, ?)")) {
            int pending = 0;
            for (RowChange row : rows) {
                boolean delete = row.kind() == RowChange.Kind.DELETE;
                int i = 1;
                for (ColumnDefinition column : columns) {
                    boolean skip = delete && !row.schema().primaryKey().contains(column.name());
                    ps.setString(i++, skip ? null : value(column, row));
                }
                ps.setLong(i++, row.version().ordinal());
                ps.setLong(i++, row.version().event());
                ps.setBoolean(i, delete);
                ps.addBatch();
                if (++pending == INSERT_BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            ps.executeBatch();
        }
    }

    private String value(ColumnDefinition column, RowChange row) {
        return values.value(column, row);
    }
}
