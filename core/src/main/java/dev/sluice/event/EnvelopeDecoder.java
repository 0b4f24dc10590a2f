package dev.sluice.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a change topic's records back into {@link ChangeEvent}s: the inverse of {@link EnvelopeEncoder}, and the one
 * reader of the envelope for every consumer (the loaders, the test harness, the benchmarks, the demo). It also reads
 * Debezium's envelope with schemas off, which has the same shape; fields it does not know are skipped.
 *
 * <p>Every value stays exact ({@link RowImage} lists the representations): no number goes through a double. The
 * value is read with Jackson's streaming parser straight into the cells; the column names of each topic's last
 * layout, and the repeated strings of the {@code source} block (database, table, file, GTID of the transaction, ...),
 * are reused rather than allocated per record, so a row costs its cells and one array.
 *
 * <p>A record that is not an envelope throws {@link MalformedEventException} naming the record; a null value (a
 * tombstone) is not an error and decodes to {@link ChangeEvent#tombstone}.
 *
 * <p>Not thread-safe: one instance per consuming thread (it keeps layouts and scratch arrays). The events it returns
 * are immutable and may go anywhere.
 */
public final class EnvelopeDecoder {
    /** Nested JSON values (a spatial value's object) become trees with exact decimals, like the flat cells. */
    private static final JsonMapper TREES = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private static final JsonFactory JSON = TREES.getFactory();

    private final Map<String, ColumnNames> rowLayouts = new HashMap<>();
    private final Map<String, ColumnNames> keyLayouts = new HashMap<>();
    private String[] names = new String[32];
    private JsonNode[] cells = new JsonNode[32];

    private final Recent version = new Recent();
    private final Recent connector = new Recent();
    private final Recent name = new Recent();
    private final Recent db = new Recent();
    private final Recent table = new Recent();
    private final Recent gtid = new Recent();
    private final Recent file = new Recent();

    /** Decodes a record whose partition and offset are unknown (they are left out of error messages). */
    public ChangeEvent decode(String topic, byte[] key, byte[] value) {
        return decode(topic, -1, -1, key, value);
    }

    /**
     * Decodes one record of {@code topic}. {@code key} is null for a table without a primary key, {@code value} null
     * for a tombstone. {@code partition} and {@code offset} only name the record in an error (-1 when unknown).
     */
    public ChangeEvent decode(String topic, int partition, long offset, byte[] key, byte[] value) {
        String layoutKey = topic == null ? "" : topic;
        try {
            RowImage keyImage = key == null ? null : key(layoutKey, key);
            return value == null ? ChangeEvent.tombstone(keyImage) : value(layoutKey, keyImage, value);
        } catch (Malformed e) {
            throw new MalformedEventException(where(topic, partition, offset), e.getMessage(), null);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException(
                    where(topic, partition, offset), "not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new MalformedEventException(where(topic, partition, offset), e.toString(), e);
        }
    }

    private RowImage key(String layoutKey, byte[] key) throws IOException {
        try (JsonParser p = JSON.createParser(key)) {
            RowImage image = image(p, p.nextToken(), keyLayouts, layoutKey, "the key");
            requireEnd(p, "the key");
            return image;
        }
    }

    private ChangeEvent value(String layoutKey, RowImage key, byte[] value) throws IOException {
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("the value is " + describe(p.currentToken()) + ", not a JSON object");
            }
            Op op = null;
            RowImage before = null;
            RowImage after = null;
            ChangeEvent.Source source = null;
            long tsMs = -1;
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken token = p.nextToken();
                switch (field) {
                    case EnvelopeFields.BEFORE -> before = image(p, token, rowLayouts, layoutKey, "'before'");
                    case EnvelopeFields.AFTER -> after = image(p, token, rowLayouts, layoutKey, "'after'");
                    case EnvelopeFields.SOURCE -> source = source(p, token);
                    case EnvelopeFields.OP -> op = op(p, token);
                    case EnvelopeFields.TS_MS -> tsMs = number(p, token, "'ts_ms'");
                    default -> p.skipChildren();
                }
            }
            requireEnd(p, "the value");
            if (op == null) {
                throw new Malformed("it has no 'op'");
            }
            return new ChangeEvent(key, op, before, after, source, tsMs);
        }
    }

    /** A row image: an object of cells, or null. */
    private RowImage image(
            JsonParser p, JsonToken token, Map<String, ColumnNames> layouts, String layoutKey, String what)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new Malformed(what + " is " + describe(token) + ", not an object or null");
        }
        int n = 0;
        String column;
        while ((column = p.nextFieldName()) != null) {
            if (n == names.length) {
                names = Arrays.copyOf(names, n * 2);
                cells = Arrays.copyOf(cells, n * 2);
            }
            names[n] = column;
            cells[n] = cell(p, p.nextToken());
            n++;
        }
        ColumnNames layout = layouts.get(layoutKey);
        if (layout == null || !layout.sameAs(names, n)) {
            layout = new ColumnNames(Arrays.copyOf(names, n));
            layouts.put(layoutKey, layout);
        }
        return new RowImage(layout, Arrays.copyOf(cells, n));
    }

    /** One cell, exactly as written: the number types the parser found, never a double. */
    private static JsonNode cell(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_NUMBER_INT ->
                switch (p.getNumberType()) {
                    case INT -> IntNode.valueOf(p.getIntValue());
                    case LONG -> LongNode.valueOf(p.getLongValue());
                    default -> BigIntegerNode.valueOf(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT -> decimal(p);
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.instance;
            case START_OBJECT, START_ARRAY -> p.readValueAsTree();
            default -> throw new Malformed("a cell is " + describe(token));
        };
    }

    /** The exact decimal written; a negative zero (a DOUBLE can hold one, a BigDecimal cannot) stays a double. */
    private static JsonNode decimal(JsonParser p) throws IOException {
        BigDecimal value = p.getDecimalValue();
        if (value.signum() == 0 && p.getTextCharacters()[p.getTextOffset()] == '-') {
            return DoubleNode.valueOf(-0.0);
        }
        return DecimalNode.valueOf(value);
    }

    private ChangeEvent.Source source(JsonParser p, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new Malformed("'source' is " + describe(token) + ", not an object");
        }
        String version = null;
        String connector = null;
        String name = null;
        String db = null;
        String table = null;
        String gtid = null;
        String file = null;
        long tsMs = -1;
        long serverId = -1;
        long pos = -1;
        long row = -1;
        long event = -1;
        long schemaVersion = -1;
        long ordinal = -1;
        boolean snapshot = false;
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken value = p.nextToken();
            switch (field) {
                case EnvelopeFields.VERSION -> version = this.version.read(p, value, field);
                case EnvelopeFields.CONNECTOR -> connector = this.connector.read(p, value, field);
                case EnvelopeFields.NAME -> name = this.name.read(p, value, field);
                case EnvelopeFields.TS_MS -> tsMs = number(p, value, "'source.ts_ms'");
                case EnvelopeFields.SNAPSHOT -> snapshot = snapshot(p, value);
                case EnvelopeFields.DB -> db = this.db.read(p, value, field);
                case EnvelopeFields.TABLE -> table = this.table.read(p, value, field);
                case EnvelopeFields.SERVER_ID -> serverId = number(p, value, "'source.server_id'");
                case EnvelopeFields.GTID -> gtid = this.gtid.read(p, value, field);
                case EnvelopeFields.FILE -> file = this.file.read(p, value, field);
                case EnvelopeFields.POS -> pos = number(p, value, "'source.pos'");
                case EnvelopeFields.ROW -> row = number(p, value, "'source.row'");
                case EnvelopeFields.EVENT -> event = number(p, value, "'source.event'");
                case EnvelopeFields.SCHEMA_VERSION -> schemaVersion = number(p, value, "'source.schema_version'");
                case EnvelopeFields.ORDINAL -> ordinal = number(p, value, "'source.ordinal'");
                default -> p.skipChildren();
            }
        }
        return new ChangeEvent.Source(
                version,
                connector,
                name,
                tsMs,
                snapshot,
                db,
                table,
                serverId,
                gtid,
                file,
                pos,
                row,
                event,
                schemaVersion,
                ordinal);
    }

    /** Sluice writes "true"/"false"; Debezium also "last", "first", "incremental" for snapshot rows. */
    private static boolean snapshot(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE, VALUE_NULL -> false;
            case VALUE_STRING -> !"false".equals(p.getText());
            default -> throw new Malformed("'source.snapshot' is " + describe(token));
        };
    }

    private static Op op(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new Malformed("'op' is " + describe(token) + ", not a string");
        }
        Op op = p.getTextLength() == 1 ? Op.ofCode(p.getText()) : null;
        if (op == null) {
            throw new Malformed("'op' is \"" + p.getText() + "\", not one of c, u, d, r");
        }
        return op;
    }

    private static long number(JsonParser p, JsonToken token, String what) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return -1;
        }
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new Malformed(what + " is " + describe(token) + ", not an integer");
        }
        return p.getLongValue();
    }

    private static void requireEnd(JsonParser p, String what) throws IOException {
        if (p.nextToken() != null) {
            throw new Malformed(what + " has more after its JSON value");
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "empty";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    private static String where(String topic, int partition, long offset) {
        String record = "topic " + topic;
        if (partition >= 0) {
            record += " partition " + partition;
        }
        return offset >= 0 ? record + " offset " + offset : record;
    }

    /**
     * The last string read for one field of the {@code source} block, returned again while the same text repeats:
     * database, table and connector are the same for a whole topic, GTID and file for a whole transaction.
     */
    private static final class Recent {
        private String last;

        String read(JsonParser p, JsonToken token, String field) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token != JsonToken.VALUE_STRING) {
                throw new Malformed("'source." + field + "' is " + describe(token) + ", not a string");
            }
            char[] chars = p.getTextCharacters();
            int offset = p.getTextOffset();
            int length = p.getTextLength();
            String previous = last;
            if (previous != null && previous.length() == length && same(previous, chars, offset)) {
                return previous;
            }
            last = new String(chars, offset, length);
            return last;
        }

        private static boolean same(String text, char[] chars, int offset) {
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) != chars[offset + i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A structural problem; becomes a {@link MalformedEventException} naming the record. */
    private static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
