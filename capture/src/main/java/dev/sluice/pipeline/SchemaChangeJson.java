package dev.sluice.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The record published to {@code <prefix>._schema_changes} for each DDL statement in a captured database:
 * {@code {"database":..,"ddl":..,"source":{"gtid":..,"file":..,"pos":..,"ts_ms":..},"ts_ms":..}}, keyed by
 * {@code {"database":..}} so all DDL of one database stays in order in one partition.
 */
final class SchemaChangeJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaChangeJson() {}

    static byte[] key(String database) {
        ObjectNode node = JSON.createObjectNode().put("database", database);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] write(
            String database, String ddl, String gtid, String file, long position, long commitTimeMs, long nowMs) {
        ObjectNode node = JSON.createObjectNode();
        node.put("database", database);
        node.put("ddl", ddl);
        node.putObject("source")
                .put("gtid", gtid)
                .put("file", file)
                .put("pos", position)
                .put("ts_ms", commitTimeMs);
        node.put("ts_ms", nowMs);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
