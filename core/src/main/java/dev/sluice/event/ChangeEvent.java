package dev.sluice.event;

/**
 * One record of a change topic, decoded by {@link EnvelopeDecoder}: the row change ({@code op}, {@code before},
 * {@code after}), where it came from ({@link Source}), when Sluice processed it ({@code tsMs}) and the record key.
 *
 * <p>A record with a null value is a <em>tombstone</em> (Debezium writes one after each delete so that compaction
 * can drop the key; Sluice does not): {@link #isTombstone()} is true, and only {@code key} is set.
 *
 * <p>{@code before} is null for {@code c} and {@code r}, {@code after} null for {@code d} (docs/output-format.md);
 * the decoder does not enforce that, so a consumer of another producer's envelope sees what was written.
 *
 * @param key the primary key columns, or null for a table without a primary key
 * @param tsMs the envelope's {@code ts_ms}: when Sluice processed the event (-1 when absent)
 */
public record ChangeEvent(RowImage key, Op op, RowImage before, RowImage after, Source source, long tsMs) {

    /** The tombstone of {@code key}: a record with a null value. */
    public static ChangeEvent tombstone(RowImage key) {
        return new ChangeEvent(key, null, null, null, null, -1);
    }

    public boolean isTombstone() {
        return op == null;
    }

    /**
     * The {@code source} block. Numbers absent from the record are -1 (Sluice writes every field; other producers of
     * the same envelope may not). {@code snapshot} is true for any value but {@code "false"} (Debezium also writes
     * {@code "last"}, {@code "first"}, {@code "incremental"}).
     *
     * @param tsMs the commit time from the binlog (second resolution)
     * @param gtid the source transaction; null for a snapshot row
     * @param pos the binlog offset of the rows event (of a snapshot row: where its chunk was read)
     * @param row the row's index in its rows event
     * @param event the row change's index in its source transaction, from 0; with {@code gtid} it names the change
     * @param schemaVersion the version of the table's schema in {@code <prefix>._schemas} the event was encoded with
     * @param ordinal the transaction's place in the source's history (a copied row: the stream's where it was
     *     published); with {@code event} it is the change's {@code SourceVersion}
     */
    public record Source(
            String version,
            String connector,
            String name,
            long tsMs,
            boolean snapshot,
            String db,
            String table,
            long serverId,
            String gtid,
            String file,
            long pos,
            long row,
            long event,
            long schemaVersion,
            long ordinal) {}
}
