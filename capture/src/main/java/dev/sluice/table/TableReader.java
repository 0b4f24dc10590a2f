package dev.sluice.table;

import dev.sluice.position.BinlogCoordinates;
import dev.sluice.schema.CharsetMap;
import dev.sluice.schema.TableSchema;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one source table exactly, by key range, on one {@link SourceConnection}: plans the next range after a key
 * ({@link #nextRange}), and reads a range in one short consistent read ({@link #read}) as the cells the binlog
 * decoder produces for the same rows ({@link SnapshotCells}), with the exact binlog coordinates the read saw the
 * table at. MariaDB reports them for a read started {@code WITH CONSISTENT SNAPSHOT} ({@code binlog_snapshot_file},
 * {@code binlog_snapshot_position}): every transaction committed before them is visible, none after, without a
 * lock, a FLUSH or the RELOAD privilege.
 *
 * <p>An optional {@code where} condition (SQL, empty for none) restricts every range to the rows it matches, and
 * {@link #nextRange} counts only those. A table without a key to page by ({@link KeyColumns#of}) is read whole: its
 * range is {@link KeyRange#WHOLE_TABLE}, and the bounds of any other range are ignored.
 *
 * <p>The rows of a range are exactly those of the table's definition during the read: {@link #read} compares the
 * catalog's definition before and after it and throws {@link DefinitionChangedException} when it moved. Call
 * {@link #refreshSchema()} once before the first range.
 *
 * <p>Not thread-safe: one per reader thread, each with its own connection.
 */
public final class TableReader {
    private static final int FETCH_SIZE = 1_000;

    private final Connection connection;
    private final CharsetMap charsets;
    private final String database;
    private final String table;
    private final String where;
    private TableSchema schema;
    private SnapshotCells cells;
    private Optional<KeyColumns> key = Optional.empty();

    /** Reads {@code database.table} on {@code connection}, which must be a {@link SourceConnection}. */
    public TableReader(Connection connection, CharsetMap charsets, String database, String table, String where) {
        this.connection = connection;
        this.charsets = charsets;
        this.database = database;
        this.table = table;
        this.where = where;
    }

    /** Receives the rows of one range read. */
    @FunctionalInterface
    public interface Rows {
        /** The read sees the table at {@code readAt}; called once, before the first row. */
        default void readAt(BinlogCoordinates readAt) {}

        /** The next row in key order (any order without a key), one cell per column; the array is the receiver's. */
        void row(Serializable[] cells);
    }

    /** The table's current definition from the catalog; remembers it for the next ranges. */
    public TableSchema refreshSchema() throws SQLException {
        TableSchema current = CatalogSchema.read(connection, database, table, charsets)
                .orElseThrow(() -> new TableMissingException(database + "." + table));
        if (!sameDefinition(current, schema)) {
            schema = current;
            cells = new SnapshotCells(current);
            key = KeyColumns.of(current);
        }
        return current;
    }

    /** The definition the last {@link #refreshSchema()} found; the rows of the ranges read are of it. */
    public TableSchema schema() {
        return schema;
    }

    /** Whether the table is read in ranges of its key; if not, in one read of the whole table. */
    public boolean pagedByKey() {
        return key.isPresent();
    }

    /**
     * The range of the next {@code rows} rows after {@code after} (null: from the first row): it ends at the key of
     * the {@code rows}-th row, found by keyset pagination over the primary key index, or is the last range when
     * fewer rows remain. Counting rows instead of dividing the key range keeps ranges even on skewed and non-numeric
     * keys. Not a consistent read: rows may come and go before the range is read, which reads them as they are then.
     */
    public KeyRange nextRange(List<Object> after, int rows) throws SQLException {
        if (key.isEmpty()) {
            return new KeyRange(after, null);
        }
        KeyColumns k = key.get();
        String sql = "SELECT " + k.list() + " FROM " + qualified() + conditions(after != null, false) + " ORDER BY "
                + k.list() + " LIMIT 1 OFFSET " + (rows - 1);
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            if (after != null) {
                k.bind(st, 1, after);
            }
            try (ResultSet rs = st.executeQuery()) {
                return new KeyRange(after, rs.next() ? k.read(rs, 1) : null);
            }
        }
    }

    /**
     * Reads the rows of {@code range} in one consistent read, a transaction that lasts as long as this read, and hands
     * them to {@code rows} in key order; returns the binlog coordinates the read saw the table at. Throws
     * {@link DefinitionChangedException} when the table's definition changed around the read (the rows may not match
     * {@link #schema()}), {@link TableMissingException} when the table is gone, and {@link NoReadPointException}
     * when the server does not report the read's coordinates (MySQL).
     */
    public BinlogCoordinates read(KeyRange range, Rows rows) throws SQLException {
        TableSchema before = schema;
        requireDefinition(before);
        KeyColumns k = key.orElse(null);
        boolean from = k != null && range.after() != null;
        boolean to = k != null && range.upTo() != null;
        String sql = "SELECT " + cells.selectList() + " FROM " + qualified() + conditions(from, to)
                + (k == null ? "" : " ORDER BY " + k.list());
        BinlogCoordinates readAt;
        try (Statement st = connection.createStatement()) {
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            try {
                readAt = snapshotCoordinates(st);
                rows.readAt(readAt);
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    int p = 1;
                    if (from) {
                        p = k.bind(select, p, range.after());
                    }
                    if (to) {
                        k.bind(select, p, range.upTo());
                    }
                    select.setFetchSize(FETCH_SIZE);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            rows.row(cells.read(rs));
                        }
                    }
                }
            } finally {
                st.execute("COMMIT");
            }
        } catch (SQLException e) {
            throw classify(e);
        }
        requireDefinition(before);
        return readAt;
    }

    /** TableSchema is a record with an array component, whose equals compares identity: compare the content. */
    private static boolean sameDefinition(TableSchema a, TableSchema b) {
        return a != null
                && b != null
                && a.columns().equals(b.columns())
                && a.definitions().equals(b.definitions())
                && java.util.Arrays.equals(a.primaryKey(), b.primaryKey());
    }

    private void requireDefinition(TableSchema expected) throws SQLException {
        if (!sameDefinition(refreshSchema(), expected)) {
            throw new DefinitionChangedException();
        }
    }

    private static BinlogCoordinates snapshotCoordinates(Statement st) throws SQLException {
        String file = null;
        long position = -1;
        try (ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'")) {
            while (rs.next()) {
                switch (rs.getString(1).toLowerCase(java.util.Locale.ROOT)) {
                    case "binlog_snapshot_file" -> file = rs.getString(2);
                    case "binlog_snapshot_position" -> position = Long.parseLong(rs.getString(2));
                    default -> {}
                }
            }
        }
        if (file == null || file.isEmpty() || position < 0) {
            throw new NoReadPointException();
        }
        return new BinlogCoordinates(file, position);
    }

    private String conditions(boolean after, boolean atMost) {
        List<String> terms = new ArrayList<>();
        if (after) {
            terms.add(key.orElseThrow().after());
        }
        if (atMost) {
            terms.add(key.orElseThrow().atMost());
        }
        if (!where.isEmpty()) {
            terms.add("(" + where + ")");
        }
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }

    private String qualified() {
        return KeyColumns.quote(database) + "." + KeyColumns.quote(table);
    }

    /** 1146: the table is gone; 1412: its definition changed after the snapshot began (InnoDB refuses the read). */
    private SQLException classify(SQLException e) {
        if (e.getErrorCode() == 1146) {
            throw new TableMissingException(database + "." + table);
        }
        if (e.getErrorCode() == 1412) {
            throw new DefinitionChangedException();
        }
        return e;
    }

    /** The table does not exist (any more). */
    public static final class TableMissingException extends RuntimeException {
        TableMissingException(String table) {
            super("Table " + table + " does not exist");
        }
    }

    /** The table's definition changed around a range read; read the range again. */
    public static final class DefinitionChangedException extends RuntimeException {
        DefinitionChangedException() {
            super("table definition changed during the read", null, false, false);
        }
    }

    /**
     * The server reports no binlog coordinates for a consistent read: MySQL does not ({@code binlog_snapshot_file}
     * and {@code binlog_snapshot_position} are MariaDB's).
     */
    public static final class NoReadPointException extends RuntimeException {
        NoReadPointException() {
            super("The source reports no binlog_snapshot_file/binlog_snapshot_position for a consistent snapshot");
        }
    }
}
