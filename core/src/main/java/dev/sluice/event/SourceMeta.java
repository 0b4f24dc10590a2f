package dev.sluice.event;

/**
 * Where a row change came from, for the envelope's {@code source} block: one per binlog rows event.
 *
 * @param commitTimeMs the binlog event timestamp (second resolution, as the server writes it)
 */
public record SourceMeta(String gtid, String file, long position, long commitTimeMs, long serverId) {}
