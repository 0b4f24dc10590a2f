package dev.sluice.event;

/**
 * Where a row change came from, for the envelope's {@code source} block: one per binlog rows event.
 *
 * @param commitTimeMs the binlog event timestamp (second resolution, as the server writes it)
 * @param ordinal the transaction's place in the source's history ({@code GtidSet#ordinal} of the GTID state once it
 *     committed; see {@code SourceVersion}), or {@link #ORDINAL_AT_PUBLICATION}
 */
public record SourceMeta(String gtid, String file, long position, long commitTimeMs, long serverId, long ordinal) {
    /** The ordinal of a copied row is the stream's when the row is published: stamped then ({@code stampOrdinal}). */
    public static final long ORDINAL_AT_PUBLICATION = -1;
}
