package dev.sluice.event;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.sluice.schema.Column;
import dev.sluice.schema.TableSchema;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes row changes as Debezium's JSON envelope without the schema wrapper (what Debezium's JsonConverter
 * writes with {@code schemas.enable=false}), so Debezium consumers read Sluice topics unchanged:
 *
 * <pre>{"before":{...}|null,"after":{...}|null,
 *  "source":{"version":..,"connector":"sluice","name":<prefix>,"ts_ms":<commit time>,"snapshot":"false",
 *            "db":..,"table":..,"server_id":..,"gtid":..,"file":..,"pos":..,"row":..,"event":..},
 *  "op":"c|u|d","ts_ms":<time Sluice processed it>}</pre>
 *
 * {@code source.event} is the index of the row change inside its source transaction (0-based); together with
 * {@code source.gtid} it identifies a change uniquely. The key is a JSON object of the primary key columns, or
 * {@code null} for a table without a primary key.
 *
 * <p>Not thread-safe: one instance per pipeline thread; it reuses its output buffer.
 */
public final class EnvelopeEncoder {
    public static final String VERSION = "0.1.0";
    private static final JsonFactory JSON = new JsonFactory();

    private final String name;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
    /** One generator for every record: each record is a root value, flushed into {@link #buffer} and taken out. */
    private final JsonGenerator g;

    public EnvelopeEncoder(String name) {
        this.name = name;
        try {
            this.g = JSON.createGenerator(buffer, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        g.setRootValueSeparator(null);
    }

    public byte[] value(Op op, TableSchema table, Serializable[] before, Serializable[] after, SourceMeta source,
                        int row, long eventIndex, long nowMs) {
        try {
            g.writeStartObject();
            g.writeFieldName("before");
            writeRow(g, table.columns(), before);
            g.writeFieldName("after");
            writeRow(g, table.columns(), after);
            writeSource(g, table, source, row, eventIndex);
            g.writeStringField("op", op.code());
            g.writeNumberField("ts_ms", nowMs);
            g.writeEndObject();
            return take();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key: the primary key columns of {@code row}, or {@code null} when the table has no primary key. */
    public byte[] key(TableSchema table, Serializable[] row) {
        if (!table.hasPrimaryKey()) {
            return null;
        }
        try {
            g.writeStartObject();
            for (int index : table.primaryKey()) {
                Column column = table.columns().get(index);
                g.writeFieldName(column.name());
                CellWriter.write(g, column, row[index]);
            }
            g.writeEndObject();
            return take();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of the record just written; leaves the buffer empty for the next one. */
    private byte[] take() throws IOException {
        g.flush();
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        return bytes;
    }

    private static void writeRow(JsonGenerator g, List<Column> columns, Serializable[] row) throws IOException {
        if (row == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            g.writeFieldName(column.name());
            CellWriter.write(g, column, row[i]);
        }
        g.writeEndObject();
    }

    private void writeSource(JsonGenerator g, TableSchema table, SourceMeta source, int row, long eventIndex)
            throws IOException {
        g.writeObjectFieldStart("source");
        g.writeStringField("version", VERSION);
        g.writeStringField("connector", "sluice");
        g.writeStringField("name", name);
        g.writeNumberField("ts_ms", source.commitTimeMs());
        g.writeStringField("snapshot", "false");
        g.writeStringField("db", table.database());
        g.writeStringField("table", table.table());
        g.writeNumberField("server_id", source.serverId());
        g.writeStringField("gtid", source.gtid());
        g.writeStringField("file", source.file());
        g.writeNumberField("pos", source.position());
        g.writeNumberField("row", row);
        g.writeNumberField("event", eventIndex);
        g.writeEndObject();
    }
}
