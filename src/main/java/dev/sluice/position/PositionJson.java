package dev.sluice.position;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads and writes the persisted position format documented on {@link BinlogPosition}. */
public final class PositionJson {
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PositionJson() {
    }

    public static byte[] write(BinlogPosition position, Flavor flavor, long serverId, long committedAtMs) {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", VERSION);
        node.put("flavor", flavor.name());
        node.put("gtids", position.gtids().toString());
        node.put("file", position.file());
        node.put("offset", position.offset());
        node.put("partial_gtid", position.partialGtid());
        node.put("partial_events", position.partialEvents());
        node.put("server_id", serverId);
        node.put("committed_at_ms", committedAtMs);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static BinlogPosition read(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            int version = node.path("version").asInt(-1);
            if (version != VERSION) {
                throw new IllegalArgumentException("Unsupported position format version " + version
                        + " (this Sluice reads version " + VERSION + ")");
            }
            Flavor flavor = Flavor.valueOf(node.get("flavor").asText());
            JsonNode partial = node.get("partial_gtid");
            return new BinlogPosition(GtidSet.parse(flavor, node.get("gtids").asText()), node.get("file").asText(),
                    node.get("offset").asLong(), partial == null || partial.isNull() ? null : partial.asText(),
                    node.path("partial_events").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable stored position", e);
        }
    }
}
