package dev.sluice.source;

import dev.sluice.position.BinlogPosition;
import dev.sluice.position.Flavor;
import dev.sluice.schema.CharsetMap;

/**
 * What the pre-flight check learned about the source server.
 *
 * @param current  the server's binlog end right now
 * @param earliest the start of the oldest binlog file the server still has
 */
public record ServerInfo(
        Flavor flavor,
        String version,
        long serverId,
        BinlogPosition current,
        BinlogPosition earliest,
        CharsetMap charsets) {}
