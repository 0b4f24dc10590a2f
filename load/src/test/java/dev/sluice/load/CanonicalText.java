package dev.sluice.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.types.ValueFamily;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One text per value, computed from the source's JDBC read ({@link ValueFamily}, independent of Sluice's decoder)
 * and from PostgreSQL's read of the loaded column, such that equal texts mean the same value (docs/load.md, "Types"):
 *
 * <ul>
 *   <li>integers and DECIMAL: the exact decimal, with the column's scale (numeric keeps it);</li>
 *   <li>FLOAT and DOUBLE: the binary value, as Java's shortest text of that float or double;</li>
 *   <li>BIT(1): {@code true}/{@code false}; BIT(n): the unsigned value and the width (n bits in both);</li>
 *   <li>DATE: {@code yyyy-mm-dd}; DATETIME: {@code yyyy-mm-dd hh:mm:ss.ffffff} (the fraction padded to 6 digits:
 *       the column's fsp in the source, microseconds in PostgreSQL);</li>
 *   <li>TIME: the signed duration in microseconds, written {@code [-]h:mm:ss.ffffff} (PostgreSQL: the interval's
 *       epoch, so 838 hours are not 34 days and 22 hours by accident);</li>
 *   <li>TIMESTAMP: the UTC instant {@code yyyy-mm-ddThh:mm:ss.ffffffZ};</li>
 *   <li>text of any charset, ENUM, SET, MariaDB's JSON: the Unicode string (long ones by length and SHA-256);</li>
 *   <li>binary: the bytes (hex; long ones by length and SHA-256); spatial: SRID and WKB bytes;</li>
 *   <li>UUID: the text; INET4/INET6: the address family and the source's text as PostgreSQL reads it
 *       ({@code '…'::inet::text}), since the two servers compress IPv6 zero runs by their own rules.</li>
 * </ul>
 *
 * A source value the target cannot hold (a date that is no calendar day in year 1 or later, the zero TIMESTAMP, and
 * on PostgreSQL text with U+0000) has the text {@link #NULLED}: with {@code load.unrepresentable-values: null} the
 * target must hold NULL. The target reads ({@link #targetSelect}, {@link #target}) are PostgreSQL's; other targets
 * render their reads with the helpers here.
 */
public final class CanonicalText {
    public static final String NULL = "NULL";
    public static final String NULLED = "(unrepresentable: NULL expected)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHORT = 120;

    private CanonicalText() {}

    /** The SELECT expression (over column {@code v}) PostgreSQL's value is read with. */
    public static String targetSelect(ValueFamily family, String columnType) {
        return switch (family) {
            case TEMPORAL ->
                switch (keyword(columnType)) {
                    case "DATE" -> "to_char(v, 'YYYY-MM-DD')";
                    case "DATETIME" -> "to_char(v, 'YYYY-MM-DD HH24:MI:SS.US')";
                    default -> "(extract(epoch FROM v) * 1000000)::bigint::text";
                };
            case TIMESTAMP -> "to_char(v AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
            case BINARY -> "v";
            case TYPED_TEXT -> keyword(columnType).startsWith("INET") ? "family(v) || ' ' || v::text" : "v::text";
            default -> "v::text";
        };
    }

    /** The target's value, read with {@link #targetSelect} at {@code column}. */
    public static String target(ValueFamily family, String columnType, ResultSet rs, int column) throws SQLException {
        if (rs.getObject(column) == null) {
            return NULL;
        }
        String text = family == ValueFamily.BINARY ? null : rs.getString(column);
        return switch (family) {
            case DECIMAL -> new BigDecimal(text).toPlainString();
            case FLOAT -> Float.toString(Float.parseFloat(text));
            case DOUBLE -> Double.toString(Double.parseDouble(text));
            case BIT -> bitWidth(columnType) == 1 ? text : new BigInteger(text, 2) + " (" + text.length() + " bits)";
            case TEMPORAL -> keyword(columnType).equals("TIME") ? duration(Long.parseLong(text)) : text;
            case TEXT -> text(text);
            case BINARY -> bytes(rs.getBytes(column));
            case GEOMETRY -> geometry(parse(text));
            default -> text;
        };
    }

    /**
     * The source's value as {@link ValueFamily#read} gave it, for PostgreSQL: {@code pg} canonicalizes network
     * addresses, and text with U+0000 is unrepresentable.
     */
    public static String source(ValueFamily family, String columnType, JsonNode ref, Connection pg)
            throws SQLException {
        return source(family, columnType, ref, pg, false);
    }

    /**
     * The source's value for a target whose text holds U+0000 ({@code holdsNul}); {@code pg} null leaves network
     * addresses as the source writes them.
     */
    public static String source(ValueFamily family, String columnType, JsonNode ref, Connection pg, boolean holdsNul)
            throws SQLException {
        if (ref == null || ref.isNull()) {
            return NULL;
        }
        String text = ref.asText();
        return switch (family) {
            case DECIMAL -> new BigDecimal(text).toPlainString();
            case FLOAT -> Float.toString(Float.parseFloat(text));
            case DOUBLE -> Double.toString(Double.parseDouble(text));
            case BIT -> ref.isBoolean() ? text : text + " (" + bitWidth(columnType) + " bits)";
            case TEMPORAL -> temporal(keyword(columnType), text);
            case TIMESTAMP -> text.startsWith("0000-00-00") ? NULLED : padFraction(text.replace("Z", "")) + "Z";
            case TEXT -> text.indexOf('\0') >= 0 && !holdsNul ? NULLED : text(text);
            case BINARY -> bytes(Base64.getDecoder().decode(text));
            case GEOMETRY -> geometry(ref);
            case TYPED_TEXT -> keyword(columnType).startsWith("INET") && pg != null ? inet(columnType, text, pg) : text;
            default -> text;
        };
    }

    private static String temporal(String keyword, String text) {
        return switch (keyword) {
            case "DATE" -> calendarDay(text) ? text : NULLED;
            case "DATETIME" -> calendarDay(text.substring(0, 10)) ? padFraction(text) : NULLED;
            default -> duration(micros(text));
        };
    }

    /** A day PostgreSQL's date holds as the same day: a real calendar day, year 1 or later. */
    private static boolean calendarDay(String date) {
        try {
            int year = Integer.parseInt(date.substring(0, 4));
            LocalDate.of(year, Integer.parseInt(date.substring(5, 7)), Integer.parseInt(date.substring(8, 10)));
            return year > 0;
        } catch (DateTimeException | NumberFormatException e) {
            return false;
        }
    }

    /** {@code ...hh:mm:ss[.f]} with the fraction padded to six digits. */
    private static String padFraction(String text) {
        int dot = text.lastIndexOf('.');
        String fraction = dot < 0 ? "" : text.substring(dot + 1);
        return (dot < 0 ? text : text.substring(0, dot)) + "." + (fraction + "000000").substring(0, 6);
    }

    /** MariaDB's TIME text {@code [-]h:mm:ss[.f]} in microseconds. */
    private static long micros(String text) {
        boolean negative = text.startsWith("-");
        String[] hms = (negative ? text.substring(1) : text).split(":");
        BigDecimal seconds = new BigDecimal(hms[2])
                .add(BigDecimal.valueOf(Long.parseLong(hms[1]) * 60 + Long.parseLong(hms[0]) * 3600));
        long micros = seconds.movePointRight(6).longValueExact();
        return negative ? -micros : micros;
    }

    public static String duration(long micros) {
        long abs = Math.abs(micros);
        long seconds = abs / 1_000_000;
        return String.format(
                Locale.ROOT,
                "%s%d:%02d:%02d.%06d",
                micros < 0 ? "-" : "",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60,
                abs % 1_000_000);
    }

    private static String inet(String columnType, String text, Connection pg) throws SQLException {
        try (PreparedStatement ps = pg.prepareStatement("SELECT ?::inet::text")) {
            ps.setString(1, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return (keyword(columnType).equals("INET6") ? "6 " : "4 ") + rs.getString(1);
            }
        }
    }

    public static String text(String text) {
        return text.length() <= SHORT ? text : text.length() + " chars, sha256 " + sha256(text.getBytes(UTF8));
    }

    public static String bytes(byte[] bytes) {
        return bytes.length <= SHORT / 2
                ? "0x" + HexFormat.of().formatHex(bytes)
                : bytes.length + " bytes, sha256 " + sha256(bytes);
    }

    public static String geometry(JsonNode value) {
        return "srid " + value.path("srid").asText() + " wkb "
                + bytes(Base64.getDecoder().decode(value.path("wkb").asText()));
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String keyword(String columnType) {
        return columnType.toUpperCase(Locale.ROOT).split("[\\s(]", 2)[0];
    }

    public static int bitWidth(String columnType) {
        int open = columnType.indexOf('(');
        return open < 0
                ? 1
                : Integer.parseInt(
                        columnType.substring(open + 1, columnType.indexOf(')')).strip());
    }
}
