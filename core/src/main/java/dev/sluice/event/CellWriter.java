package dev.sluice.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.sluice.schema.Column;
import dev.sluice.schema.ColumnKind;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Writes one decoded cell as JSON, exactly (docs/types.md has the table). Numbers stay JSON numbers, written from
 * their exact decimal text; DECIMAL is a string so no consumer parses it into a double; text is decoded with the
 * column's own charset; binary is base64 (written straight into the output, no intermediate String).
 */
final class CellWriter {
    private static final BigInteger TWO_POW_64 = BigInteger.ONE.shiftLeft(64);
    private static final SerializedString WKB = new SerializedString("wkb");
    private static final SerializedString SRID = new SerializedString("srid");

    private CellWriter() {}

    static void write(JsonGenerator g, Column column, Serializable cell) throws IOException {
        if (cell == null) {
            g.writeNull();
            return;
        }
        switch (column.kind()) {
            case TINYINT ->
                g.writeNumber(column.unsigned() ? ((Number) cell).intValue() & 0xFF : ((Number) cell).intValue());
            case SMALLINT ->
                g.writeNumber(column.unsigned() ? ((Number) cell).intValue() & 0xFFFF : ((Number) cell).intValue());
            case MEDIUMINT ->
                g.writeNumber(
                        column.unsigned()
                                ? ((Number) cell).intValue() & 0xFFFFFF
                                : signed24(((Number) cell).intValue()));
            case INT ->
                g.writeNumber(
                        column.unsigned() ? ((Number) cell).intValue() & 0xFFFFFFFFL : ((Number) cell).intValue());
            case BIGINT -> writeBigint(g, ((Number) cell).longValue(), column.unsigned());
            case DECIMAL -> g.writeString(((BigDecimal) cell).toPlainString());
            case FLOAT -> g.writeNumber(((Number) cell).floatValue());
            case DOUBLE -> g.writeNumber(((Number) cell).doubleValue());
            case YEAR -> g.writeNumber(((Number) cell).intValue());
            case BIT -> writeBit(g, (BitSet) cell, column.meta());
            case DATE, TIME, DATETIME, TIMESTAMP -> g.writeString((String) cell);
            case CHAR, VARCHAR, BLOB -> writeText(g, column, (byte[]) cell);
            case ENUM -> writeEnum(g, column, ((Number) cell).intValue());
            case SET -> writeSet(g, column, ((Number) cell).longValue());
            case JSON -> g.writeString((String) cell); // MySQL's binary JSON, decoded to its text by the reader
            case GEOMETRY -> writeGeometry(g, (byte[]) cell);
            case UUID, INET6, INET4 -> writeFixedBinaryText(g, column.kind(), (byte[]) cell);
            case VECTOR -> throw new UnsupportedValueException("VECTOR columns are not supported yet");
        }
    }

    private static int signed24(int value) {
        return (value << 8) >> 8;
    }

    private static void writeBigint(JsonGenerator g, long value, boolean unsigned) throws IOException {
        if (unsigned && value < 0) {
            g.writeNumber(BigInteger.valueOf(value).add(TWO_POW_64));
        } else {
            g.writeNumber(value);
        }
    }

    /** BIT(1) is a boolean (as in Debezium); wider BIT columns are the unsigned integer value. */
    private static void writeBit(JsonGenerator g, BitSet bits, int meta) throws IOException {
        int width = (meta >> 8) * 8 + (meta & 0xFF);
        if (width == 1) {
            g.writeBoolean(bits.get(0));
            return;
        }
        long[] words = bits.toLongArray();
        long value = words.length == 0 ? 0 : words[0];
        if (value < 0) {
            g.writeNumber(BigInteger.valueOf(value).add(TWO_POW_64));
        } else {
            g.writeNumber(value);
        }
    }

    private static void writeText(JsonGenerator g, Column column, byte[] bytes) throws IOException {
        if (column.isBinary()) {
            g.writeBinary(column.kind() == ColumnKind.CHAR ? zeroPadded(bytes, column.fixedByteLength()) : bytes);
        } else if (column.charset() == StandardCharsets.UTF_8) {
            // The server only stores valid UTF-8 in utf8mb3/utf8mb4 columns: copy it, escaping only what JSON needs.
            g.writeUTF8String(bytes, 0, bytes.length);
        } else {
            g.writeString(new String(bytes, column.charset()));
        }
    }

    /** BINARY(n) holds exactly n bytes; the binlog drops its trailing zero bytes, so they are put back. */
    private static byte[] zeroPadded(byte[] bytes, int length) {
        return bytes.length >= length ? bytes : Arrays.copyOf(bytes, length);
    }

    /**
     * The server's spatial value is a 4-byte little-endian SRID followed by the OGC WKB; written as Debezium's
     * Geometry, {@code {"wkb": base64, "srid": n}}, so ST_GeomFromWKB(FROM_BASE64(wkb), srid) rebuilds it.
     */
    private static void writeGeometry(JsonGenerator g, byte[] value) throws IOException {
        if (value.length < 4) {
            throw new UnsupportedValueException("a spatial value of " + value.length + " bytes has no SRID");
        }
        long srid = (value[0] & 0xFFL) | (value[1] & 0xFFL) << 8 | (value[2] & 0xFFL) << 16 | (value[3] & 0xFFL) << 24;
        g.writeStartObject();
        g.writeFieldName(WKB);
        g.writeBinary(value, 4, value.length - 4);
        g.writeFieldName(SRID);
        g.writeNumber(srid);
        g.writeEndObject();
    }

    private static void writeFixedBinaryText(JsonGenerator g, ColumnKind kind, byte[] value) throws IOException {
        char[] text = new char[FixedBinaryText.MAX_CHARS];
        int length = switch (kind) {
            case UUID -> FixedBinaryText.uuid(value, text);
            case INET6 -> FixedBinaryText.inet6(value, text);
            default -> FixedBinaryText.inet4(value, text);
        };
        g.writeString(text, 0, length);
    }

    private static void writeEnum(JsonGenerator g, Column column, int index) throws IOException {
        // Index 0 is the special '' value MySQL stores for an invalid ENUM value in non-strict mode.
        g.writeString(index == 0 ? "" : column.labels().get(index - 1));
    }

    private static void writeSet(JsonGenerator g, Column column, long mask) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < column.labels().size(); i++) {
            if ((mask & (1L << i)) != 0) {
                if (out.length() > 0) {
                    out.append(',');
                }
                out.append(column.labels().get(i));
            }
        }
        g.writeString(out.toString());
    }

    /** A value Sluice cannot represent; the pipeline stops at its position rather than change it. */
    static final class UnsupportedValueException extends IllegalArgumentException {
        UnsupportedValueException(String message) {
            super(message);
        }
    }
}
