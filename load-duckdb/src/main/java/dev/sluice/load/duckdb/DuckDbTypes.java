package dev.sluice.load.duckdb;

import dev.sluice.load.sql.ColumnTypes;
import dev.sluice.load.sql.TargetTable;
import dev.sluice.schema.ColumnDefinition;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DuckDB type of each MySQL/MariaDB column type: the narrowest one that holds every value of the source type
 * exactly (docs/load.md has the table). DuckDB has unsigned integers, so BIGINT UNSIGNED is {@code ubigint}; its
 * DECIMAL stops at 38 digits, so a wider DECIMAL is {@code varchar} holding the exact digits and scale; TIME, a
 * signed duration up to 838 hours, is an {@code interval} (microseconds, exact); TIMESTAMP is {@code timestamptz}
 * (the UTC instant), DATETIME {@code timestamp} (the wall clock, microseconds); BIT(n) is the unsigned value of its
 * bits ({@code ubigint}); JSON, INET and spatial values are their text ({@code varchar}), as DuckDB's JSON and INET
 * types live in extensions the loader does not install.
 */
final class DuckDbTypes implements ColumnTypes {
    static final DuckDbTypes INSTANCE = new DuckDbTypes();
    /** DuckDB's DECIMAL holds at most 38 digits. */
    static final int MAX_DECIMAL_DIGITS = 38;

    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),(\\d+)\\)");
    private static final List<String> SIGNED = List.of("tinyint", "smallint", "integer", "bigint");
    private static final List<String> UNSIGNED = List.of("utinyint", "usmallint", "uinteger", "ubigint");

    private DuckDbTypes() {}

    @Override
    public String typeOf(ColumnDefinition c) {
        if (c.isSpatial()) {
            return "varchar";
        }
        boolean unsigned = Boolean.TRUE.equals(c.unsigned());
        return switch (c.type().toLowerCase(Locale.ROOT)) {
            case "tinyint" -> unsigned ? "utinyint" : "tinyint";
            case "year" -> "smallint";
            case "smallint" -> unsigned ? "usmallint" : "smallint";
            case "mediumint", "int", "integer" -> unsigned ? "uinteger" : "integer";
            case "bigint" -> unsigned ? "ubigint" : "bigint";
            case "decimal", "numeric" ->
                c.precision() <= MAX_DECIMAL_DIGITS ? "decimal(" + c.precision() + "," + c.scale() + ")" : "varchar";
            case "float" -> "float";
            case "double", "real" -> "double";
            case "bit" -> c.length() != null && c.length() == 1 ? "boolean" : "ubigint";
            case "date" -> "date";
            case "datetime" -> "timestamp";
            case "timestamp" -> "timestamptz";
            case "time" -> "interval";
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json" -> "varchar";
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> "blob";
            case "uuid" -> "uuid";
            case "inet4", "inet6" -> "varchar";
            default ->
                throw new IllegalArgumentException(
                        "column '" + c.name() + "' has type " + c.type() + ", which the DuckDB target cannot hold");
        };
    }

    /** Whether every value of DuckDB type {@code was} is exactly a value of {@code is}. */
    @Override
    public boolean widens(String was, String is) {
        if (rank(SIGNED, was) >= 0) {
            return rank(SIGNED, is) > rank(SIGNED, was);
        }
        if (rank(UNSIGNED, was) >= 0) {
            return rank(UNSIGNED, is) > rank(UNSIGNED, was) || rank(SIGNED, is) > rank(UNSIGNED, was);
        }
        if (was.equals("float")) {
            return is.equals("double");
        }
        Matcher a = DECIMAL.matcher(was);
        Matcher b = DECIMAL.matcher(is);
        if (a.matches() && b.matches()) {
            int p = Integer.parseInt(a.group(1)), s = Integer.parseInt(a.group(2));
            int q = Integer.parseInt(b.group(1)), t = Integer.parseInt(b.group(2));
            return t >= s && q - t >= p - s;
        }
        return false;
    }

    private static int rank(List<String> ladder, String type) {
        return ladder.indexOf(type);
    }

    @Override
    public int maxIdentifierBytes() {
        return TargetTable.NO_LIMIT;
    }
}
