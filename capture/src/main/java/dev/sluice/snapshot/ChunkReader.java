package dev.sluice.snapshot;

import dev.sluice.event.EnvelopeEncoder;
import dev.sluice.event.Op;
import dev.sluice.event.SourceMeta;
import dev.sluice.position.BinlogCoordinates;
import dev.sluice.schema.CharsetMap;
import dev.sluice.schema.SchemaVersions;
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
 * Reads chunks of one table on one connection. Each chunk is one short transaction started
 * {@code WITH CONSISTENT SNAPSHOT}: MariaDB then reports, in {@code binlog_snapshot_file} and
 * {@code binlog_snapshot_position}, the exact binlog coordinates the read sees — every transaction committed before
 * them and none after — without a lock, a FLUSH or the RELOAD privilege. The chunk's rows are the table's state at
 * those coordinates; {@link ChunkHandoff} publishes them when the stream gets there.
 *
 * <p>Not thread-safe: one per reader thread.
 */
final class ChunkReader {
    private static final int FETCH_SIZE = 1_000;

    private final Connection connection;
    private final CharsetMap charsets;
    private final String database;
    private final String table;
    private final String where;
    private final int chunkSize;
    private final EnvelopeEncoder encoder;
    private final long serverId;
    private final SchemaVersions versions;
    private TableSchema schema;
    private SnapshotCells cells;
    private EnvelopeEncoder.TableEncoding encoding;
    private Optional<KeyColumns> key = Optional.empty();

    ChunkReader(
            Connection connection,
            CharsetMap charsets,
            String database,
            String table,
            String where,
            int chunkSize,
            EnvelopeEncoder encoder,
            long serverId,
            SchemaVersions versions) {
        this.connection = connection;
        this.charsets = charsets;
        this.database = database;
        this.table = table;
        this.where = where;
        this.chunkSize = chunkSize;
        this.encoder = encoder;
        this.serverId = serverId; // the connection is SourceConnection's: REPEATABLE READ, exact-value session
        this.versions = versions;
    }

    /** The table's current definition from the catalog; remembers it for the next reads. */
    TableSchema refreshSchema() throws SQLException {
        TableSchema current = CatalogSchema.read(connection, database, table, charsets)
                .orElseThrow(() -> new TableMissingException(database + "." + table));
        if (!sameDefinition(current, schema)) {
            schema = current;
            cells = new SnapshotCells(current);
            encoding = encoder.prepare(current, versions.versionOf(current));
            key = KeyColumns.of(current);
        }
        return current;
    }

    boolean pagedByKey() {
        return key.isPresent();
    }

    /**
     * The upper bound of the chunk that starts after {@code after}: the key of its {@code chunk-size}-th row, found
     * by keyset pagination over the primary key index; null when fewer rows remain (the last chunk). Counting rows
     * instead of dividing the key range keeps chunks even on skewed and non-numeric keys.
     */
    List<Object> boundary(List<Object> after) throws SQLException {
        KeyColumns k = key.orElseThrow();
        String sql = "SELECT " + k.list() + " FROM " + qualified() + conditions(after != null, false) + " ORDER BY "
                + k.list() + " LIMIT 1 OFFSET " + (chunkSize - 1);
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            if (after != null) {
                k.bind(st, 1, after);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? k.read(rs, 1) : null;
            }
        }
    }

    /**
     * Reads the chunk after {@code plan.after()} up to and including {@code upTo} (null: to the end) in one
     * consistent snapshot, and encodes its rows. Throws {@link DefinitionChangedException} when the table's
     * definition changed around the read, so the rows may not match the schema they would be encoded with.
     */
    Chunk read(TableJob.Plan plan, List<Object> upTo, long nowMs) throws SQLException {
        TableSchema before = schema;
        if (!sameDefinition(refreshSchema(), before)) {
            throw new DefinitionChangedException();
        }
        KeyColumns k = key.orElse(null);
        String sql = "SELECT " + cells.selectList() + " FROM " + qualified()
                + conditions(k != null && plan.after() != null, k != null && upTo != null)
                + (k == null ? "" : " ORDER BY " + k.list());
        List<Chunk.Row> rows = new ArrayList<>();
        BinlogCoordinates readAt;
        try (Statement st = connection.createStatement()) {
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            try {
                readAt = snapshotCoordinates(st);
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    int p = 1;
                    if (k != null && plan.after() != null) {
                        p = k.bind(select, p, plan.after());
                    }
                    if (k != null && upTo != null) {
                        k.bind(select, p, upTo);
                    }
                    select.setFetchSize(FETCH_SIZE);
                    SourceMeta meta = new SourceMeta(null, readAt.file(), readAt.offset(), nowMs, serverId);
                    try (ResultSet rs = select.executeQuery()) {
                        int index = 0;
                        while (rs.next()) {
                            Serializable[] row = cells.read(rs);
                            rows.add(new Chunk.Row(
                                    encoder.key(encoding, row),
                                    encoder.value(Op.READ, encoding, null, row, meta, index++, plan.seq(), nowMs)));
                        }
                    }
                }
            } finally {
                st.execute("COMMIT");
            }
        } catch (SQLException e) {
            throw classify(e);
        }
        if (!sameDefinition(refreshSchema(), before)) {
            throw new DefinitionChangedException();
        }
        return new Chunk(
                plan.seq(),
                plan.generation(),
                readAt,
                schema,
                encoding.schemaVersion(),
                nowMs,
                upTo,
                upTo == null,
                rows);
    }

    /** TableSchema is a record with an array component, whose equals compares identity: compare the content. */
    static boolean sameDefinition(TableSchema a, TableSchema b) {
        return a != null
                && b != null
                && a.columns().equals(b.columns())
                && a.definitions().equals(b.definitions())
                && java.util.Arrays.equals(a.primaryKey(), b.primaryKey());
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
            throw new dev.sluice.failure.SluiceException(
                    dev.sluice.failure.ExitCode.SOURCE_NOT_READY,
                    "The source reports no "
                            + "binlog_snapshot_file/binlog_snapshot_position for a consistent snapshot. Sluice's lock-free "
                            + "snapshot needs MariaDB (MySQL does not report the binlog position of a consistent read); set "
                            + "snapshot.mode: never on this source (docs/snapshots.md).");
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
    static final class TableMissingException extends RuntimeException {
        TableMissingException(String table) {
            super("Table " + table + " does not exist");
        }
    }

    /** The table's definition changed around a chunk read; the chunk is read again. */
    static final class DefinitionChangedException extends RuntimeException {
        DefinitionChangedException() {
            super("table definition changed during the read", null, false, false);
        }
    }
}
