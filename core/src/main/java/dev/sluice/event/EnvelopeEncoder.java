package dev.sluice.event;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.sluice.schema.TableSchema;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Encodes row changes as Debezium's JSON envelope without the schema wrapper (what Debezium's JsonConverter
 * writes with {@code schemas.enable=false}), so Debezium consumers read Sluice topics unchanged:
 *
 * <pre>{"before":{...}|null,"after":{...}|null,
 *  "source":{"version":..,"connector":"sluice","name":<prefix>,"ts_ms":<commit time>,"snapshot":"false",
 *            "db":..,"table":..,"server_id":..,"gtid":..,"file":..,"pos":..,"row":..,"event":..,
 *            "schema_version":..,"ordinal":..},
 *  "op":"c|u|d|r","ts_ms":<time Sluice processed it>}</pre>
 *
 * {@code source.event} is the index of the row change inside its source transaction (0-based); together with
 * {@code source.gtid} it identifies a change uniquely. The key is a JSON object of the primary key columns, or
 * {@code null} for a table without a primary key. {@code source.schema_version} names the version of the table's
 * schema in {@code <prefix>._schemas} the event was encoded with (left out when the encoding has none).
 * {@link EnvelopeDecoder} reads both back.
 *
 * <p>Hot path: every name that repeats — field names, column names, database and table (per {@link TableEncoding}),
 * GTID and file (per transaction) — is JSON-encoded once and copied as bytes afterwards; profiling showed escaping
 * those strings again for each event was the largest single cost.
 *
 * <p>Not thread-safe: one instance per pipeline thread; it reuses its generator and output buffer.
 */
public final class EnvelopeEncoder {
    public static final String VERSION = "0.1.0";
    /**
     * The fast double writer is Jackson's port of Schubfach: the shortest decimal that reads back as the same float
     * or double. JDK 17's Float/Double.toString, the default, sometimes print a longer or even a different decimal
     * ({@code 1e23} as {@code 9.999999999999999E22}, the smallest normal float as {@code 1.17549435E-38}).
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    // Field names encoded once (EnvelopeFields declares them for the decoder too).
    private static final SerializedString BEFORE = new SerializedString(EnvelopeFields.BEFORE);
    private static final SerializedString AFTER = new SerializedString(EnvelopeFields.AFTER);
    private static final SerializedString SOURCE = new SerializedString(EnvelopeFields.SOURCE);
    private static final SerializedString OP = new SerializedString(EnvelopeFields.OP);
    private static final SerializedString TS_MS = new SerializedString(EnvelopeFields.TS_MS);
    private static final SerializedString F_VERSION = new SerializedString(EnvelopeFields.VERSION);
    private static final SerializedString F_CONNECTOR = new SerializedString(EnvelopeFields.CONNECTOR);
    private static final SerializedString F_NAME = new SerializedString(EnvelopeFields.NAME);
    private static final SerializedString F_SNAPSHOT = new SerializedString(EnvelopeFields.SNAPSHOT);
    private static final SerializedString F_DB = new SerializedString(EnvelopeFields.DB);
    private static final SerializedString F_TABLE = new SerializedString(EnvelopeFields.TABLE);
    private static final SerializedString F_SERVER_ID = new SerializedString(EnvelopeFields.SERVER_ID);
    private static final SerializedString F_GTID = new SerializedString(EnvelopeFields.GTID);
    private static final SerializedString F_FILE = new SerializedString(EnvelopeFields.FILE);
    private static final SerializedString F_POS = new SerializedString(EnvelopeFields.POS);
    private static final SerializedString F_ROW = new SerializedString(EnvelopeFields.ROW);
    private static final SerializedString F_EVENT = new SerializedString(EnvelopeFields.EVENT);
    private static final SerializedString F_SCHEMA_VERSION = new SerializedString(EnvelopeFields.SCHEMA_VERSION);
    private static final SerializedString F_ORDINAL = new SerializedString(EnvelopeFields.ORDINAL);
    /**
     * A copied row's ordinal before it is known: as wide as the longest ordinal, spaces before a zero (JSON allows
     * white space before a value), so {@link #stampOrdinal} writes the real one in place.
     */
    private static final String ORDINAL_PLACEHOLDER = " ".repeat(18) + "0";

    private static final byte[] ORDINAL_FIELD =
            ("\"" + EnvelopeFields.ORDINAL + "\":").getBytes(StandardCharsets.UTF_8);
    private static final SerializedString V_VERSION = new SerializedString(VERSION);
    private static final SerializedString V_CONNECTOR = new SerializedString(EnvelopeFields.CONNECTOR_NAME);
    private static final SerializedString V_NOT_SNAPSHOT = new SerializedString("false");
    private static final SerializedString V_SNAPSHOT = new SerializedString("true");

    private final SerializedString name;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
    /** One generator for every record: each record is a root value, flushed into {@link #buffer} and taken out. */
    private final JsonGenerator g;

    private final Recent gtid = new Recent();
    private final Recent file = new Recent();

    public EnvelopeEncoder(String name) {
        this.name = new SerializedString(name);
        try {
            this.g = JSON.createGenerator(buffer, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        g.setRootValueSeparator(null);
    }

    /** A table's names, encoded once; keep it as long as the schema. Events name no schema version. */
    public TableEncoding prepare(TableSchema schema) {
        return prepare(schema, 0);
    }

    /** A table's names, encoded once, and the version of its schema that its events name (0: none). */
    public TableEncoding prepare(TableSchema schema, long schemaVersion) {
        SerializedString[] columns = new SerializedString[schema.columns().size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new SerializedString(schema.columns().get(i).name());
        }
        return new TableEncoding(
                schema,
                new SerializedString(schema.database()),
                new SerializedString(schema.table()),
                columns,
                schemaVersion);
    }

    public byte[] value(
            Op op,
            TableEncoding table,
            Serializable[] before,
            Serializable[] after,
            SourceMeta source,
            int row,
            long eventIndex,
            long nowMs) {
        try {
            g.writeStartObject();
            g.writeFieldName(BEFORE);
            writeRow(table, before);
            g.writeFieldName(AFTER);
            writeRow(table, after);
            writeSource(table, source, op == Op.READ, row, eventIndex);
            g.writeFieldName(OP);
            g.writeString(op.encoded());
            g.writeFieldName(TS_MS);
            g.writeNumber(nowMs);
            g.writeEndObject();
            return take();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key: the primary key columns of {@code row}, or {@code null} when the table has no primary key. */
    public byte[] key(TableEncoding table, Serializable[] row) {
        TableSchema schema = table.schema();
        if (!schema.hasPrimaryKey()) {
            return null;
        }
        try {
            g.writeStartObject();
            for (int index : schema.primaryKey()) {
                g.writeFieldName(table.columnNames()[index]);
                CellWriter.write(g, schema.columns().get(index), row[index]);
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

    private void writeRow(TableEncoding table, Serializable[] row) throws IOException {
        if (row == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        SerializedString[] names = table.columnNames();
        for (int i = 0; i < names.length; i++) {
            g.writeFieldName(names[i]);
            CellWriter.write(g, table.schema().columns().get(i), row[i]);
        }
        g.writeEndObject();
    }

    /**
     * A snapshot row ({@code op: r}) has {@code snapshot: "true"}, no GTID (it is no transaction), and the binlog
     * file and offset its chunk was read at: the row is the table's state exactly there.
     */
    private void writeSource(TableEncoding table, SourceMeta source, boolean snapshot, int row, long eventIndex)
            throws IOException {
        g.writeFieldName(SOURCE);
        g.writeStartObject();
        field(F_VERSION, V_VERSION);
        field(F_CONNECTOR, V_CONNECTOR);
        field(F_NAME, name);
        g.writeFieldName(TS_MS);
        g.writeNumber(source.commitTimeMs());
        field(F_SNAPSHOT, snapshot ? V_SNAPSHOT : V_NOT_SNAPSHOT);
        field(F_DB, table.database());
        field(F_TABLE, table.table());
        g.writeFieldName(F_SERVER_ID);
        g.writeNumber(source.serverId());
        if (source.gtid() == null) {
            g.writeFieldName(F_GTID);
            g.writeNull();
        } else {
            field(F_GTID, gtid.encode(source.gtid()));
        }
        field(F_FILE, file.encode(source.file()));
        g.writeFieldName(F_POS);
        g.writeNumber(source.position());
        g.writeFieldName(F_ROW);
        g.writeNumber(row);
        g.writeFieldName(F_EVENT);
        g.writeNumber(eventIndex);
        if (table.schemaVersion() > 0) {
            g.writeFieldName(F_SCHEMA_VERSION);
            g.writeNumber(table.schemaVersion());
        }
        g.writeFieldName(F_ORDINAL);
        if (source.ordinal() == SourceMeta.ORDINAL_AT_PUBLICATION) {
            g.writeRawValue(ORDINAL_PLACEHOLDER);
        } else {
            g.writeNumber(source.ordinal());
        }
        g.writeEndObject();
    }

    /**
     * Writes {@code ordinal} into a value encoded with {@link SourceMeta#ORDINAL_AT_PUBLICATION}, in place: a copied
     * row is encoded when its chunk is read, on a reader thread, but its ordinal is the stream's when it is published
     * ({@code SourceVersion}). The field is the last of the {@code source} block, so it is found from the end.
     */
    public static void stampOrdinal(byte[] value, long ordinal) {
        int at = lastIndexOf(value, ORDINAL_FIELD);
        if (at < 0 || ordinal < 0) {
            throw new IllegalArgumentException(
                    "no ordinal placeholder to stamp (or a negative ordinal " + ordinal + ")");
        }
        int start = at + ORDINAL_FIELD.length;
        byte[] digits = Long.toString(ordinal).getBytes(StandardCharsets.US_ASCII);
        int end = start + ORDINAL_PLACEHOLDER.length();
        java.util.Arrays.fill(value, start, end, (byte) ' ');
        System.arraycopy(digits, 0, value, end - digits.length, digits.length);
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void field(SerializableString name, SerializableString value) throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    /** The names of one table, JSON-encoded once. */
    public record TableEncoding(
            TableSchema schema,
            SerializedString database,
            SerializedString table,
            SerializedString[] columnNames,
            long schemaVersion) {}

    /** The last string seen and its encoding: GTID and file change once per transaction, not per event. */
    private static final class Recent {
        private String text;
        private SerializedString encoded;

        SerializedString encode(String value) {
            if (value != text && !value.equals(text)) {
                text = value;
                encoded = new SerializedString(value);
            }
            return encoded;
        }
    }
}
