package dev.sluice.snapshot;

import dev.sluice.position.BinlogCoordinates;
import dev.sluice.schema.TableSchema;
import java.util.List;

/**
 * One chunk of a table copy, read and encoded, waiting for the stream to reach its read point.
 *
 * @param seq      position of the chunk in the table's key order (0-based)
 * @param readAt   the binlog coordinates the consistent read saw the table at: every transaction before them, none after
 * @param schema   the table's definition during the read (from the catalog)
 * @param schemaVersion the version of that definition the rows' envelopes name ({@code source.schema_version})
 * @param readAtMs when the chunk was read: its rows' {@code source.ts_ms}
 * @param upTo     primary key of the chunk's upper bound (the next chunk starts after it); null for the last chunk
 * @param last     no rows follow this chunk
 * @param rows     encoded rows in key order
 */
public record Chunk(
        long seq,
        int generation,
        BinlogCoordinates readAt,
        TableSchema schema,
        long schemaVersion,
        long readAtMs,
        List<Object> upTo,
        boolean last,
        List<Row> rows) {
    /** One row: its Kafka key (null without a primary key) and its {@code op: r} envelope. */
    public record Row(byte[] key, byte[] value) {}
}
