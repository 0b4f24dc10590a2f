package dev.sluice.load.postgresql;

import dev.sluice.config.ConfigKeys.Unrepresentable;
import dev.sluice.event.RowImage;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.load.RowChange;
import dev.sluice.load.postgresql.CopyText.UnrepresentableValueException;
import dev.sluice.schema.ColumnDefinition;
import dev.sluice.schema.SchemaVersion;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Supplier;
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
final class Stage {
    private static final int CHUNK_CHARS = 1 << 16;
    private static final int INSERT_BATCH = 500;

    private final String name;
    private final List<ColumnDefinition> columns;
    private final Dialect dialect;
    private final Unrepresentable policy;
    private final String targetName;
    private final NulledValues nulled;

    Stage(
            String name,
            List<ColumnDefinition> columns,
            Dialect dialect,
            Unrepresentable policy,
            String targetName,
            NulledValues nulled) {
        this.name = name;
        this.columns = columns;
        this.dialect = dialect;
        this.policy = policy;
        this.targetName = targetName;
        this.nulled = nulled;
    }

    String name() {
        return name;
    }

    List<String> columnNames() {
        return columns.stream().map(ColumnDefinition::name).toList();
    }

    void create(Connection c) throws SQLException {
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
    void load(Connection c, List<RowChange> rows) throws SQLException {
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
                .copyIn("COPY " + name + " (" + TableDdl.quotedList(columnNames())
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
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + name + " (" + TableDdl.quotedList(columnNames())
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

    /**
     * The cell as text, or the policy's answer when the target cannot hold it. A key column has no answer but to
     * stop: NULL cannot be a key.
     */
    private String value(ColumnDefinition column, RowChange row) {
        try {
            return CopyText.value(column, row.row().get(column.name()));
        } catch (UnrepresentableValueException e) {
            boolean key = row.schema().primaryKey().contains(column.name());
            if (policy == Unrepresentable.STOP || key) {
                throw stop(targetName, row.schema(), column, row.row(), row.origin(), e);
            }
            nulled.nulled(row.schema().qualifiedName(), column.name(), row.origin(), e.getMessage());
            return null;
        }
    }

    /**
     * Throws the loader's stop for the first value of {@code image} PostgreSQL cannot hold and the policy does not
     * let it load as NULL; {@code keyOnly} checks just the key columns (a delete's or a moved key's old image).
     */
    static void check(
            Supplier<String> targetName,
            SchemaVersion schema,
            RowImage image,
            boolean keyOnly,
            Unrepresentable policy,
            RowChange.Origin origin) {
        for (ColumnDefinition column : schema.columns()) {
            boolean key = schema.primaryKey().contains(column.name());
            if ((!key && (keyOnly || policy == Unrepresentable.NULL)) || !CopyText.mayBeUnrepresentable(column)) {
                continue;
            }
            try {
                CopyText.value(column, image.get(column.name()));
            } catch (UnrepresentableValueException e) {
                throw stop(targetName.get(), schema, column, image, origin, e);
            }
        }
    }

    private static SluiceException stop(
            String targetName,
            SchemaVersion schema,
            ColumnDefinition column,
            RowImage image,
            RowChange.Origin origin,
            UnrepresentableValueException e) {
        String remedy = schema.primaryKey().contains(column.name())
                ? "A key column cannot be loaded as NULL: fix the value in the source, or leave the table out with "
                        + "filter.exclude."
                : "Fix the value in the source, or set load.unrepresentable-values: null to load NULL for such "
                        + "values (counted in sluice_load_values_nulled and logged).";
        return new SluiceException(
                ExitCode.DATA,
                "Column '" + column.name() + "' of " + targetName + " (source " + schema.qualifiedName()
                        + ") cannot hold " + e.getMessage() + ": the change at " + origin + ", key "
                        + keyOf(schema, image) + ". The loader stopped there: the target holds every change before "
                        + "it and nothing after, and a restart continues with it. " + remedy);
    }

    private static String keyOf(SchemaVersion schema, RowImage image) {
        return schema.primaryKey().stream()
                .map(k -> k + "=" + image.get(k))
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
