package dev.sluice.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the records of the {@code <prefix>._schemas} topic: one {@link SchemaVersion} per record.
 *
 * <p>Key: {@code {"database":"shop","table":"orders","version":3}}. Every version has its own key, so compaction
 * keeps every version of every table (it only drops an identical copy of a version written again); a consumer
 * that lags behind a schema change, or replays a change topic from offset 0, finds the version each event names.
 *
 * <p>Value, format version 1:
 * <pre>{"format":1,"database":"shop","table":"orders","version":3,
 *  "columns":[{"name":"id","type":"int","unsigned":true,"nullable":false},
 *             {"name":"total","type":"decimal","precision":10,"scale":2,"unsigned":false,"nullable":false},
 *             {"name":"status","type":"enum","labels":["new","paid"],"charset":"utf8mb4",
 *              "collation":"utf8mb4_general_ci","nullable":false},
 *             {"name":"note","type":"varchar","length":200,"charset":"utf8mb4","collation":"utf8mb4_general_ci",
 *              "nullable":true},
 *             {"name":"placed_at","type":"datetime","fsp":3,"nullable":false}],
 *  "primary_key":["id"],
 *  "from":{"snapshot":false,"gtid":"0-1-1240","event":0,"file":"mysql-bin.000003","pos":99120,
 *          "ts_ms":1763877670000}}</pre>
 *
 * Every column has {@code name}, {@code type} and {@code nullable}; the other fields by type:
 * <ul>
 *   <li>{@code tinyint smallint mediumint int bigint float double}: {@code unsigned};</li>
 *   <li>{@code decimal}: {@code precision}, {@code scale}, {@code unsigned};</li>
 *   <li>{@code bit}: {@code length} in bits;</li>
 *   <li>{@code char varchar}: {@code length} in characters, {@code charset}, {@code collation};
 *       {@code binary varbinary}: {@code length} in bytes;</li>
 *   <li>{@code tinytext text mediumtext longtext}: {@code charset}, {@code collation} (MariaDB's JSON is
 *       {@code longtext}); {@code tinyblob blob mediumblob longblob}: nothing more;</li>
 *   <li>{@code enum set}: {@code labels}, {@code charset}, {@code collation};</li>
 *   <li>{@code time datetime timestamp}: {@code fsp};</li>
 *   <li>{@code year date json uuid inet6 inet4 vector} and the spatial types ({@code geometry point linestring
 *       polygon multipoint multilinestring multipolygon geometrycollection}): nothing more.</li>
 * </ul>
 * A field the source does not state exactly is left out rather than guessed (a reader must accept its absence);
 * display widths, defaults, comments, generated-column expressions and secondary indexes are never recorded. A
 * reader must ignore fields it does not know: later formats may add some.
 */
public final class TableSchemaJson {
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableSchemaJson() {}

    public static byte[] key(String database, String table, long version) {
        ObjectNode key = JSON.createObjectNode();
        key.put("database", database);
        key.put("table", table);
        key.put("version", version);
        return bytes(key);
    }

    public static byte[] write(SchemaVersion v) {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FORMAT);
        node.put("database", v.database());
        node.put("table", v.table());
        node.put("version", v.version());
        ArrayNode columns = node.putArray("columns");
        v.columns().forEach(c -> columns.add(column(c)));
        ArrayNode key = node.putArray("primary_key");
        v.primaryKey().forEach(key::add);
        node.set("from", from(v.from()));
        return bytes(node);
    }

    public static SchemaVersion read(byte[] bytes) {
        JsonNode node = tree(bytes);
        int format = node.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new IllegalArgumentException(
                    "Unsupported schema record format " + format + " (this Sluice reads format " + FORMAT + ")");
        }
        List<ColumnDefinition> columns = new ArrayList<>();
        node.path("columns").forEach(c -> columns.add(column(c)));
        List<String> key = new ArrayList<>();
        node.path("primary_key").forEach(k -> key.add(k.asText()));
        return new SchemaVersion(
                node.get("database").asText(),
                node.get("table").asText(),
                node.get("version").asLong(),
                columns,
                key,
                from(node.get("from")));
    }

    private static ObjectNode column(ColumnDefinition c) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", c.name());
        node.put("type", c.type());
        putIfKnown(node, "length", c.length());
        putIfKnown(node, "precision", c.precision());
        putIfKnown(node, "scale", c.scale());
        putIfKnown(node, "fsp", c.fsp());
        if (c.unsigned() != null) {
            node.put("unsigned", c.unsigned());
        }
        if (!c.labels().isEmpty() || c.type().equals("enum") || c.type().equals("set")) {
            ArrayNode labels = node.putArray("labels");
            c.labels().forEach(labels::add);
        }
        if (c.charset() != null) {
            node.put("charset", c.charset());
        }
        if (c.collation() != null) {
            node.put("collation", c.collation());
        }
        node.put("nullable", c.nullable());
        return node;
    }

    private static ColumnDefinition column(JsonNode n) {
        List<String> labels = new ArrayList<>();
        n.path("labels").forEach(l -> labels.add(l.asText()));
        return new ColumnDefinition(
                n.get("name").asText(),
                n.get("type").asText(),
                n.hasNonNull("length") ? n.get("length").asLong() : null,
                n.hasNonNull("precision") ? n.get("precision").asInt() : null,
                n.hasNonNull("scale") ? n.get("scale").asInt() : null,
                n.hasNonNull("fsp") ? n.get("fsp").asInt() : null,
                n.hasNonNull("unsigned") ? n.get("unsigned").asBoolean() : null,
                n.hasNonNull("charset") ? n.get("charset").asText() : null,
                n.hasNonNull("collation") ? n.get("collation").asText() : null,
                labels,
                n.get("nullable").asBoolean());
    }

    private static ObjectNode from(SchemaVersion.AppliesFrom f) {
        ObjectNode node = JSON.createObjectNode();
        node.put("snapshot", f.snapshot());
        node.put("gtid", f.gtid());
        node.put("event", f.event());
        node.put("file", f.file());
        node.put("pos", f.pos());
        node.put("ts_ms", f.tsMs());
        return node;
    }

    private static SchemaVersion.AppliesFrom from(JsonNode n) {
        return new SchemaVersion.AppliesFrom(
                n.path("snapshot").asBoolean(),
                n.hasNonNull("gtid") ? n.get("gtid").asText() : null,
                n.path("event").asLong(),
                n.path("file").asText(),
                n.path("pos").asLong(),
                n.path("ts_ms").asLong());
    }

    private static void putIfKnown(ObjectNode node, String field, Number value) {
        if (value != null) {
            node.put(field, value.longValue());
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable schema record", e);
        }
    }
}
