package dev.sluice.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

/**
 * How the test reads a column's value back over JDBC, independently of Sluice's decoder, and turns it into the
 * envelope's representation (docs/types.md). Each family asks the server itself for an unambiguous form: exact
 * text for numbers and temporal values, the epoch for TIMESTAMP (so no driver time-zone logic is involved), the
 * text converted to utf8mb4 by the server for every character set, and the raw bytes for binary values.
 */
public enum ValueFamily {
    INTEGER("CAST(v AS CHAR)"),
    DECIMAL("CAST(v AS CHAR)"),
    /** The float widened to a double by the server is exact; narrowing it back gives the stored float. */
    FLOAT("CAST(v AS DOUBLE)"),
    DOUBLE("v"),
    BIT("CAST(v AS UNSIGNED)"),
    YEAR("v + 0"),
    TEMPORAL("CAST(v AS CHAR)"),
    TIMESTAMP("UNIX_TIMESTAMP(v)"),
    TEXT("CONVERT(v USING utf8mb4)"),
    BINARY("v"),
    GEOMETRY("ST_AsWKB(v), ST_SRID(v)"),
    /** MariaDB's UUID, INET6 and INET4: the server's own text form. */
    TYPED_TEXT("CAST(v AS CHAR)");

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final DateTimeFormatter UTC_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final String selectList;

    ValueFamily(String selectList) {
        this.selectList = selectList;
    }

    /** The SELECT list (over column {@code v}) the reference is read from. */
    public String selectList() {
        return selectList;
    }

    boolean isFloatingPoint() {
        return this == FLOAT || this == DOUBLE;
    }

    public static ValueFamily of(String columnType) {
        String upper = columnType.toUpperCase(Locale.ROOT);
        if (upper.contains("CHARACTER SET BINARY")) {
            return BINARY;
        }
        String keyword = upper.split("[\\s(]", 2)[0];
        return switch (keyword) {
            case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "BOOLEAN", "BOOL" -> INTEGER;
            case "DECIMAL", "NUMERIC", "DEC", "FIXED" -> DECIMAL;
            case "FLOAT" -> FLOAT;
            case "DOUBLE", "REAL" -> DOUBLE;
            case "BIT" -> BIT;
            case "YEAR" -> YEAR;
            case "DATE", "DATETIME", "TIME" -> TEMPORAL;
            case "TIMESTAMP" -> TIMESTAMP;
            case "CHAR",
                    "VARCHAR",
                    "NCHAR",
                    "NVARCHAR",
                    "TINYTEXT",
                    "TEXT",
                    "MEDIUMTEXT",
                    "LONGTEXT",
                    "JSON",
                    "ENUM",
                    "SET" -> TEXT;
            case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> BINARY;
            case "GEOMETRY",
                    "POINT",
                    "LINESTRING",
                    "POLYGON",
                    "MULTIPOINT",
                    "MULTILINESTRING",
                    "MULTIPOLYGON",
                    "GEOMETRYCOLLECTION" -> GEOMETRY;
            case "UUID", "INET4", "INET6" -> TYPED_TEXT;
            default ->
                throw new IllegalArgumentException(
                        "No value family for column type " + columnType + ": add its keyword to ValueFamily.of");
        };
    }

    /** The value at {@code column} (1-based; GEOMETRY reads two columns) in the envelope's representation. */
    public JsonNode read(ResultSet rs, int column, String columnType) throws SQLException {
        if (rs.getObject(column) == null) {
            return NODES.nullNode();
        }
        return switch (this) {
            case INTEGER -> NODES.numberNode(new BigInteger(rs.getString(column)));
            case DECIMAL, TEMPORAL, TEXT, TYPED_TEXT -> NODES.textNode(rs.getString(column));
            case FLOAT ->
                NODES.numberNode(new BigDecimal(Float.toString((float) Double.parseDouble(rs.getString(column)))));
            case DOUBLE -> NODES.numberNode(new BigDecimal(Double.toString(Double.parseDouble(rs.getString(column)))));
            case BIT ->
                bitWidth(columnType) == 1
                        ? NODES.booleanNode(rs.getLong(column) == 1)
                        : NODES.numberNode(new BigInteger(rs.getString(column)));
            case YEAR -> NODES.numberNode(rs.getInt(column));
            case TIMESTAMP -> NODES.textNode(timestamp(new BigDecimal(rs.getString(column)), fsp(columnType)));
            case BINARY -> NODES.textNode(Base64.getEncoder().encodeToString(rs.getBytes(column)));
            case GEOMETRY -> geometry(rs.getBytes(column), rs.getLong(column + 1));
        };
    }

    /**
     * Whether the envelope's value equals the reference read over JDBC. Floating-point values are compared as the
     * binary value they denote (the server prints fewer digits than a float needs); the exact digits are pinned by
     * the expected text in the case file instead.
     */
    boolean sameAsReference(JsonNode reference, JsonNode actual) {
        if (isFloatingPoint() && reference.isNumber() && actual != null && actual.isNumber()) {
            return this == FLOAT
                    ? Float.floatToIntBits(Float.parseFloat(reference.asText()))
                            == Float.floatToIntBits(Float.parseFloat(actual.asText()))
                    : Double.doubleToLongBits(Double.parseDouble(reference.asText()))
                            == Double.doubleToLongBits(Double.parseDouble(actual.asText()));
        }
        return JsonValues.same(reference, actual);
    }

    private static ObjectNode geometry(byte[] wkb, long srid) {
        ObjectNode node = NODES.objectNode();
        node.put("wkb", Base64.getEncoder().encodeToString(wkb));
        node.put("srid", srid);
        return node;
    }

    /** UNIX_TIMESTAMP() of a TIMESTAMP column is its stored epoch value; 0 is the zero value. */
    private static String timestamp(BigDecimal epoch, int fsp) {
        StringBuilder out = new StringBuilder();
        if (epoch.signum() == 0) {
            out.append("0000-00-00 00:00:00");
        } else {
            out.append(UTC_SECONDS.format(Instant.ofEpochSecond(epoch.longValue())));
        }
        if (fsp > 0) {
            String fraction = epoch.remainder(BigDecimal.ONE)
                    .movePointRight(6)
                    .setScale(0)
                    .toPlainString();
            out.append('.').append(("000000" + fraction).substring(fraction.length()), 0, fsp);
        }
        return epoch.signum() == 0 ? out.toString() : out.append('Z').toString();
    }

    private static int fsp(String columnType) {
        int open = columnType.indexOf('(');
        return open < 0
                ? 0
                : Integer.parseInt(
                        columnType.substring(open + 1, columnType.indexOf(')')).strip());
    }

    private static int bitWidth(String columnType) {
        int open = columnType.indexOf('(');
        return open < 0
                ? 1
                : Integer.parseInt(
                        columnType.substring(open + 1, columnType.indexOf(')')).strip());
    }
}
