package dev.sluice.position;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes the persisted position format documented on {@link BinlogPosition}. The optional
 * {@code snapshots} object holds {@link SnapshotProgress}; a record without it has no table copies. Primary key
 * values of a copy's progress keep their exact type: numbers as JSON numbers read back as BigDecimal (never a
 * double), strings as strings, binary keys as {@code {"base64": ...}}.
 */
public final class PositionJson {
    public static final int VERSION = 1;
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private PositionJson() {}

    public static byte[] write(BinlogPosition position, Flavor flavor, long serverId, long committedAtMs) {
        return write(Checkpoint.of(position), flavor, serverId, committedAtMs);
    }

    public static byte[] write(Checkpoint checkpoint, Flavor flavor, long serverId, long committedAtMs) {
        BinlogPosition position = checkpoint.position();
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
        if (!checkpoint.snapshots().equals(SnapshotProgress.NONE)) {
            node.set("snapshots", snapshots(checkpoint.snapshots()));
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static BinlogPosition read(byte[] bytes) {
        return readCheckpoint(bytes).position();
    }

    public static Checkpoint readCheckpoint(byte[] bytes) {
        return readStored(bytes).checkpoint();
    }

    /** One stored record: the checkpoint and who wrote it when ({@code committed_at_ms}: just before the commit). */
    public record Stored(Checkpoint checkpoint, Flavor flavor, long serverId, long committedAtMs) {}

    /** Everything a position record holds. */
    public static Stored readStored(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            int version = node.path("version").asInt(-1);
            if (version != VERSION) {
                throw new IllegalArgumentException("Unsupported position format version " + version
                        + " (this Sluice reads version " + VERSION + ")");
            }
            Flavor flavor = Flavor.valueOf(node.get("flavor").asText());
            JsonNode partial = node.get("partial_gtid");
            BinlogPosition position = new BinlogPosition(
                    GtidSet.parse(flavor, node.get("gtids").asText()),
                    node.get("file").asText(),
                    node.get("offset").asLong(),
                    partial == null || partial.isNull() ? null : partial.asText(),
                    node.path("partial_events").asLong());
            JsonNode snapshots = node.get("snapshots");
            Checkpoint checkpoint =
                    new Checkpoint(position, snapshots == null ? SnapshotProgress.NONE : snapshots(snapshots));
            return new Stored(
                    checkpoint,
                    flavor,
                    node.path("server_id").asLong(),
                    node.path("committed_at_ms").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable stored position", e);
        }
    }

    private static ObjectNode snapshots(SnapshotProgress progress) {
        ObjectNode node = JSON.createObjectNode();
        node.put("request_offset", progress.requestOffset());
        ArrayNode tables = node.putArray("tables");
        for (TableCopy copy : progress.tables()) {
            ObjectNode t = tables.addObject();
            t.put("database", copy.database());
            t.put("table", copy.table());
            t.put("where", copy.where());
            if (copy.after() == null) {
                t.putNull("after");
            } else {
                ArrayNode after = t.putArray("after");
                copy.after().forEach(value -> after.add(keyValue(value)));
            }
            t.put("rows", copy.rowsCopied());
            t.put("chunks", copy.chunks());
            t.put("estimated_rows", copy.estimatedRows());
            t.put("state", copy.state().name());
        }
        return node;
    }

    private static SnapshotProgress snapshots(JsonNode node) {
        List<TableCopy> tables = new ArrayList<>();
        for (JsonNode t : node.path("tables")) {
            List<Object> after = null;
            if (t.hasNonNull("after")) {
                after = new ArrayList<>();
                for (JsonNode value : t.get("after")) {
                    after.add(keyValue(value));
                }
            }
            tables.add(new TableCopy(
                    t.get("database").asText(),
                    t.get("table").asText(),
                    t.path("where").asText(""),
                    after,
                    t.path("rows").asLong(),
                    t.path("chunks").asLong(),
                    t.path("estimated_rows").asLong(-1),
                    TableCopy.State.valueOf(t.path("state").asText("PENDING"))));
        }
        return new SnapshotProgress(tables, node.path("request_offset").asLong());
    }

    private static JsonNode keyValue(Object value) {
        if (value instanceof BigDecimal d) {
            return JSON.getNodeFactory().numberNode(d);
        }
        if (value instanceof String s) {
            return JSON.getNodeFactory().textNode(s);
        }
        if (value instanceof byte[] b) {
            return JSON.createObjectNode().put("base64", Base64.getEncoder().encodeToString(b));
        }
        throw new IllegalArgumentException(
                "Unsupported primary key value type " + value.getClass().getName());
    }

    private static Object keyValue(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            return node.asText();
        }
        return Base64.getDecoder().decode(node.get("base64").asText());
    }
}
