package dev.sluice.snapshot;

import dev.sluice.event.EnvelopeEncoder;
import dev.sluice.event.Op;
import dev.sluice.event.SourceMeta;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.position.BinlogCoordinates;
import dev.sluice.schema.CharsetMap;
import dev.sluice.schema.SchemaVersions;
import dev.sluice.schema.TableSchema;
import dev.sluice.table.KeyRange;
import dev.sluice.table.TableReader;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads chunks of one table on one connection, with {@link TableReader}: each chunk is one short consistent read
 * at exact binlog coordinates, whose rows are the table's state at those coordinates, encoded as {@code op: r}
 * events; {@link ChunkHandoff} publishes them when the stream gets there.
 *
 * <p>Not thread-safe: one per reader thread.
 */
final class ChunkReader {
    private final TableReader table;
    private final int chunkSize;
    private final EnvelopeEncoder encoder;
    private final long serverId;
    private final SchemaVersions versions;
    private TableSchema encoded;
    private EnvelopeEncoder.TableEncoding encoding;

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
        this.table = new TableReader(connection, charsets, database, table, where);
        this.chunkSize = chunkSize;
        this.encoder = encoder;
        this.serverId = serverId; // the connection is SourceConnection's: REPEATABLE READ, exact-value session
        this.versions = versions;
    }

    /** The table's current definition from the catalog; remembers it for the next reads. */
    TableSchema refreshSchema() throws SQLException {
        TableSchema current = table.refreshSchema();
        prepareEncoding();
        return current;
    }

    boolean pagedByKey() {
        return table.pagedByKey();
    }

    /** The upper bound of the chunk that starts after {@code after}; null when fewer rows remain (the last chunk). */
    List<Object> boundary(List<Object> after) throws SQLException {
        return table.nextRange(after, chunkSize).upTo();
    }

    /**
     * Reads the chunk after {@code plan.after()} up to and including {@code upTo} (null: to the end) in one
     * consistent snapshot, and encodes its rows. Throws {@link TableReader.DefinitionChangedException} when the
     * table's definition changed around the read, so the rows may not match the schema they would be encoded with.
     */
    Chunk read(TableJob.Plan plan, List<Object> upTo, long nowMs) throws SQLException {
        Encoded rows = new Encoded(plan.seq(), nowMs);
        BinlogCoordinates readAt;
        try {
            readAt = table.read(new KeyRange(plan.after(), upTo), rows);
        } catch (TableReader.NoReadPointException e) {
            throw new SluiceException(
                    ExitCode.SOURCE_NOT_READY,
                    "The source reports no "
                            + "binlog_snapshot_file/binlog_snapshot_position for a consistent snapshot. Sluice's lock-free "
                            + "snapshot needs MariaDB (MySQL does not report the binlog position of a consistent read); set "
                            + "snapshot.mode: never on this source (docs/snapshots.md).");
        } finally {
            prepareEncoding(); // a read refreshes the definition, also when it then refuses the rows
        }
        return new Chunk(
                plan.seq(),
                plan.generation(),
                readAt,
                table.schema(),
                encoding.schemaVersion(),
                nowMs,
                upTo,
                upTo == null,
                rows.rows);
    }

    /** The encoding of the definition the table reader holds, prepared again only when the definition changed. */
    private void prepareEncoding() {
        if (table.schema() != encoded) {
            encoded = table.schema();
            encoding = encoder.prepare(encoded, versions.versionOf(encoded));
        }
    }

    /** A chunk's rows as their Kafka keys and {@code op: r} envelopes, stamped with the read's coordinates. */
    private final class Encoded implements TableReader.Rows {
        private final List<Chunk.Row> rows = new ArrayList<>();
        private final long seq;
        private final long nowMs;
        private SourceMeta meta;

        Encoded(long seq, long nowMs) {
            this.seq = seq;
            this.nowMs = nowMs;
        }

        @Override
        public void readAt(BinlogCoordinates readAt) {
            meta = new SourceMeta(
                    null, readAt.file(), readAt.offset(), nowMs, serverId, SourceMeta.ORDINAL_AT_PUBLICATION);
        }

        @Override
        public void row(Serializable[] cells) {
            rows.add(new Chunk.Row(
                    encoder.key(encoding, cells),
                    encoder.value(Op.READ, encoding, null, cells, meta, rows.size(), seq, nowMs)));
        }
    }
}
