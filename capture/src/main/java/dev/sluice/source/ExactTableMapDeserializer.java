package dev.sluice.source;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import dev.sluice.schema.CharsetMap;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TABLE_MAP with its strings decoded in their real charsets. The library decodes every string of the event with
 * the JVM's default charset: database, table and column names are utf8 (right only where the default happens to be
 * UTF-8), and ENUM and SET labels are in their column's own charset (latin1, utf16, ...: wrong whatever the
 * default; a latin1 'é' became U+FFFD). This reads the same bytes a second time, only for those strings;
 * everything else is the library's.
 *
 * <p>The server repeats a table's TABLE_MAP in every transaction that touches it, byte for byte until the table
 * changes. A body equal to the last one seen for its table id is therefore not decoded again: the earlier result
 * is returned, the same instance, which also tells the pipeline the definition is unchanged without comparing it.
 * With 1-row transactions this decoding was a fifth of the pipeline's work (docs/benchmarks.md). Runs on the
 * binlog client's thread only.
 */
final class ExactTableMapDeserializer implements EventDataDeserializer<TableMapEventData> {
    private static final int COLUMN_NAME = 4;
    private static final int SET_STR_VALUE = 5;
    private static final int ENUM_STR_VALUE = 6;
    private static final int TYPE_STRING = 254;
    private static final int TYPE_ENUM = 247;
    private static final int TYPE_SET = 248;

    private static final int MAX_TABLES = 10_000;

    private final TableMapEventDataDeserializer library = new TableMapEventDataDeserializer();
    private final CharsetMap charsets;
    /** The last body and its decoding per table id; bounded because every ALTER TABLE gives a table a new id. */
    private final Map<Long, Decoded> lastByTableId = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Decoded> eldest) {
            return size() > MAX_TABLES;
        }
    };

    private record Decoded(byte[] body, TableMapEventData data) {}

    ExactTableMapDeserializer(CharsetMap charsets) {
        this.charsets = charsets;
    }

    @Override
    public TableMapEventData deserialize(ByteArrayInputStream in) throws IOException {
        byte[] body = in.read(in.available());
        long tableId = tableId(body);
        Decoded last = lastByTableId.get(tableId);
        if (last != null && Arrays.equals(last.body(), body)) {
            return last.data();
        }
        TableMapEventData data = decode(body);
        lastByTableId.put(tableId, new Decoded(body, data));
        return data;
    }

    /** The 6-byte little-endian table id the body starts with. */
    private static long tableId(byte[] body) {
        long id = 0;
        for (int i = 0; i < 6 && i < body.length; i++) {
            id |= (body[i] & 0xFFL) << (8 * i);
        }
        return id;
    }

    private TableMapEventData decode(byte[] body) throws IOException {
        TableMapEventData data = library.deserialize(new ByteArrayInputStream(body));
        Cursor c = new Cursor(body);
        c.skip(8); // table id, flags
        data.setDatabase(c.utf8(c.u8()));
        c.skip(1);
        data.setTable(c.utf8(c.u8()));
        c.skip(1);
        int columns = (int) c.packed();
        c.skip(columns);
        c.skip((int) c.packed()); // type metadata
        c.skip((columns + 7) / 8); // nullability
        if (data.getEventMetadata() != null) {
            replaceOptionalMetadataStrings(c, data);
        }
        return data;
    }

    /** The optional metadata: type, length, value; each value read from its own bounds. */
    private void replaceOptionalMetadataStrings(Cursor c, TableMapEventData data) throws IOException {
        TableMapEventMetadata metadata = data.getEventMetadata();
        List<Charset> labelCharsets = null;
        while (c.remaining() > 0) {
            int type = c.u8();
            int end = (int) c.packed() + c.pos;
            switch (type) {
                case COLUMN_NAME -> metadata.setColumnNames(names(c, end));
                case ENUM_STR_VALUE, SET_STR_VALUE -> {
                    labelCharsets = labelCharsets != null ? labelCharsets : labelCharsets(data);
                    List<String[]> labels = labels(
                            c,
                            end,
                            labelCharsets,
                            enumOrSetPositions(data, type == ENUM_STR_VALUE ? TYPE_ENUM : TYPE_SET));
                    if (type == ENUM_STR_VALUE) {
                        metadata.setEnumStrValues(labels);
                    } else {
                        metadata.setSetStrValues(labels);
                    }
                }
                default -> {}
            }
            c.pos = end;
        }
    }

    private static List<String> names(Cursor c, int end) throws IOException {
        List<String> names = new ArrayList<>();
        while (c.pos < end) {
            names.add(c.utf8((int) c.packed()));
        }
        return names;
    }

    /**
     * Labels of each ENUM (or SET) column in turn. {@code positions} gives, for the k-th such column, its index
     * among all ENUM and SET columns, which is how the charset list is ordered.
     */
    private static List<String[]> labels(Cursor c, int end, List<Charset> charsets, List<Integer> positions)
            throws IOException {
        List<String[]> result = new ArrayList<>();
        for (int column = 0; c.pos < end; column++) {
            if (column >= positions.size()) {
                throw new IOException("TABLE_MAP lists labels for more ENUM/SET columns than the table has");
            }
            Charset charset = charsets.get(positions.get(column));
            String[] labels = new String[(int) c.packed()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = new String(c.bytes((int) c.packed()), charset);
            }
            result.add(labels);
        }
        return result;
    }

    /** For each column of {@code realType} (ENUM or SET) in column order, its index among ENUM and SET columns. */
    private static List<Integer> enumOrSetPositions(TableMapEventData data, int realType) {
        List<Integer> positions = new ArrayList<>();
        int enumOrSet = 0;
        for (int i = 0; i < data.getColumnTypes().length; i++) {
            int type = realType(data.getColumnTypes()[i] & 0xFF, data.getColumnMetadata()[i]);
            if (type == TYPE_ENUM || type == TYPE_SET) {
                if (type == realType) {
                    positions.add(enumOrSet);
                }
                enumOrSet++;
            }
        }
        return positions;
    }

    /** ENUM and SET are sent as STRING with the real type in the high metadata byte. */
    private static int realType(int type, int meta) {
        return type == TYPE_STRING && meta >= 256 && ((meta >> 8) & 0x30) == 0x30 ? meta >> 8 : type;
    }

    /**
     * The charset of each ENUM and SET column's labels, in order. Binary labels are kept byte for byte (one char per
     * byte); a column without a charset in the metadata is refused rather than decoded with a guess.
     */
    private List<Charset> labelCharsets(TableMapEventData data) throws IOException {
        TableMapEventMetadata metadata = data.getEventMetadata();
        int count = (int) java.util.stream.IntStream.range(0, data.getColumnTypes().length)
                .map(i -> realType(data.getColumnTypes()[i] & 0xFF, data.getColumnMetadata()[i]))
                .filter(t -> t == TYPE_ENUM || t == TYPE_SET)
                .count();
        List<Charset> result = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            result.add(labelCharset(collation(metadata, k), data));
        }
        return result;
    }

    private static int collation(TableMapEventMetadata metadata, int enumOrSetIndex) {
        if (metadata.getEnumAndSetColumnCharsets() != null) {
            return metadata.getEnumAndSetColumnCharsets().get(enumOrSetIndex);
        }
        TableMapEventMetadata.DefaultCharset dc = metadata.getEnumAndSetDefaultCharset();
        if (dc == null) {
            return -1;
        }
        Map<Integer, Integer> exceptions = dc.getCharsetCollations() == null ? Map.of() : dc.getCharsetCollations();
        return exceptions.getOrDefault(enumOrSetIndex, dc.getDefaultCharsetCollation());
    }

    private Charset labelCharset(int collation, TableMapEventData data) throws IOException {
        if (collation < 0) {
            throw new IOException("TABLE_MAP of " + data.getDatabase() + "." + data.getTable() + " has ENUM/SET labels "
                    + "but no charset for them; refusing to guess");
        }
        try {
            Charset charset = charsets.javaCharset(collation);
            return charset == null ? StandardCharsets.ISO_8859_1 : charset;
        } catch (RuntimeException e) {
            throw new IOException(
                    "ENUM/SET labels of " + data.getDatabase() + "." + data.getTable()
                            + " use a character set Sluice cannot decode: " + e.getMessage(),
                    e);
        }
    }

    /** A position in the event body; lengths are MySQL's packed integers. */
    private static final class Cursor {
        private final byte[] body;
        private int pos;

        Cursor(byte[] body) {
            this.body = body;
        }

        int remaining() {
            return body.length - pos;
        }

        void skip(int n) throws IOException {
            require(n);
            pos += n;
        }

        int u8() throws IOException {
            require(1);
            return body[pos++] & 0xFF;
        }

        long packed() throws IOException {
            int first = u8();
            return switch (first) {
                case 252 -> little(2);
                case 253 -> little(3);
                case 254 -> little(8);
                default -> first;
            };
        }

        byte[] bytes(int n) throws IOException {
            require(n);
            byte[] out = java.util.Arrays.copyOfRange(body, pos, pos + n);
            pos += n;
            return out;
        }

        String utf8(int n) throws IOException {
            require(n);
            String s = new String(body, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        private long little(int n) throws IOException {
            require(n);
            long value = 0;
            for (int i = 0; i < n; i++) {
                value |= (body[pos++] & 0xFFL) << (8 * i);
            }
            return value;
        }

        private void require(int n) throws IOException {
            if (n < 0 || pos + n > body.length) {
                throw new IOException("TABLE_MAP event is shorter than its own lengths say");
            }
        }
    }
}
