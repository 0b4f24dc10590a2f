package dev.sluice.load.postgresql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.schema.ColumnDefinition;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Writes one cell, as the change event carries it (docs/types.md), in the text format of PostgreSQL's {@code COPY}
 * for the column's {@link PostgresTypes PostgreSQL type}: exact, with the format's escapes ({@code \N} for NULL,
 * backslash escapes for the backslash, tab, newline and carriage return). A value PostgreSQL cannot hold — a zero or
 * invalid date (MariaDB's {@code 0000-00-00}, {@code 2023-02-30}), a year 0, a NUL character in text — is not
 * written: {@link UnrepresentableValueException} says which, and the loader's policy decides
 * ({@code load.unrepresentable-values}).
 */
final class CopyText {
    private static final HexFormat HEX = HexFormat.of();

    private CopyText() {}

    /** Appends the cell as COPY text; {@code \N} for a missing or null cell. */
    static void append(StringBuilder out, ColumnDefinition column, JsonNode cell) {
        String value = value(column, cell);
        if (value == null) {
            out.append("\\N");
        } else {
            escape(out, value);
        }
    }

    /** The cell as the text PostgreSQL reads into the column's type; null for SQL NULL. */
    static String value(ColumnDefinition column, JsonNode cell) {
        if (cell == null || cell.isNull()) {
            return null;
        }
        if (column.isSpatial()) {
            return noNul(cell.toString());
        }
        return switch (column.type().toLowerCase(Locale.ROOT)) {
            case "bit" -> bit(column, cell);
            case "date" -> validDate(cell.asText(), cell.asText());
            case "datetime" -> dateTime(cell.asText());
            case "timestamp" -> timestamp(cell.asText());
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> bytes(cell.asText());
            default -> noNul(cell.isTextual() ? cell.textValue() : cell.asText());
        };
    }

    /**
     * Whether some value of the column's type is one PostgreSQL cannot hold: dates (zero and invalid days), the zero
     * TIMESTAMP, and text (U+0000). Numbers, binary and spatial values always fit; the per-change check skips them.
     */
    static boolean mayBeUnrepresentable(ColumnDefinition column) {
        if (column.isSpatial()) {
            return false;
        }
        return switch (column.type().toLowerCase(Locale.ROOT)) {
            case "date",
                    "datetime",
                    "timestamp",
                    "char",
                    "varchar",
                    "tinytext",
                    "text",
                    "mediumtext",
                    "longtext",
                    "enum",
                    "set",
                    "json" -> true;
            default -> false;
        };
    }

    /** BIT(1) is a boolean; BIT(n) the unsigned value of its bits, written as PostgreSQL's n-bit string. */
    private static String bit(ColumnDefinition column, JsonNode cell) {
        if (cell.isBoolean()) {
            return cell.booleanValue() ? "t" : "f";
        }
        String bits = new BigInteger(cell.asText()).toString(2);
        int width = column.length() == null ? bits.length() : column.length().intValue();
        return "0".repeat(Math.max(0, width - bits.length())) + bits;
    }

    private static String dateTime(String value) {
        validDate(value.substring(0, Math.min(10, value.length())), value);
        return value;
    }

    /** An instant in UTC ({@code 2024-03-10T07:00:00.000000Z}); the zero value has no instant. */
    private static String timestamp(String value) {
        if (value.startsWith("0000-00-00")) {
            throw new UnrepresentableValueException("the zero TIMESTAMP " + value);
        }
        return value;
    }

    /** {@code yyyy-mm-dd} of a real day in year 1 or later; anything else PostgreSQL would refuse or change. */
    private static String validDate(String date, String whole) {
        try {
            int year = Integer.parseInt(date.substring(0, 4));
            LocalDate.of(year, Integer.parseInt(date.substring(5, 7)), Integer.parseInt(date.substring(8, 10)));
            if (year == 0) {
                throw new DateTimeException("year 0");
            }
            return date;
        } catch (DateTimeException | NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new UnrepresentableValueException("the date " + whole + ", which is not a calendar day");
        }
    }

    /** Base64 of the exact bytes, as bytea's hex input {@code \x...}. */
    private static String bytes(String base64) {
        return "\\x" + HEX.formatHex(Base64.getDecoder().decode(base64));
    }

    /** PostgreSQL's text types cannot hold U+0000. */
    private static String noNul(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new UnrepresentableValueException("text with a NUL character (U+0000)");
        }
        return value;
    }

    /** COPY's text format: backslash, tab, newline and carriage return escaped. */
    static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    /** A value the PostgreSQL type of its column cannot hold exactly. */
    static final class UnrepresentableValueException extends RuntimeException {
        UnrepresentableValueException(String what) {
            super(what);
        }
    }
}
