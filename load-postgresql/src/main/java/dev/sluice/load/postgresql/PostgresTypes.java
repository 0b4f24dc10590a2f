package dev.sluice.load.postgresql;

import dev.sluice.load.sql.ColumnTypes;
import dev.sluice.load.sql.TargetTable;
import dev.sluice.schema.ColumnDefinition;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL type of each MySQL/MariaDB column type: the narrowest one that holds every value of the source type
 * exactly (docs/load.md has the table). Unsigned integers move up one size; BIGINT UNSIGNED becomes
 * {@code numeric(20)}; DECIMAL keeps its precision and scale (PostgreSQL's numeric holds DECIMAL(65,30)); TIME, a
 * signed duration up to 838 hours, is an {@code interval}; CHAR(n) is a {@code varchar(n)}, because PostgreSQL's
 * {@code char(n)} pads its values and would hand them back changed; MySQL's JSON is {@code json}, which keeps the
 * text as written ({@code jsonb} would reorder keys and drop duplicates); a spatial value keeps its
 * {@code {"wkb","srid"}} object as {@code json}.
 */
final class PostgresTypes implements ColumnTypes {
    static final PostgresTypes INSTANCE = new PostgresTypes();
    private static final Pattern SIZED = Pattern.compile("([a-z ]+)\\((\\d+)(?:,(\\d+))?\\)(.*)");
    private static final List<String> INTEGERS = List.of("smallint", "integer", "bigint");

    private PostgresTypes() {}

    @Override
    public String typeOf(ColumnDefinition c) {
        return of(c);
    }

    @Override
    public int maxIdentifierBytes() {
        return TargetTable.POSTGRESQL_IDENTIFIER_BYTES;
    }

    /** The column's PostgreSQL type; an unknown source type is refused by name. */
    static String of(ColumnDefinition c) {
        if (c.isSpatial()) {
            return "json";
        }
        boolean unsigned = Boolean.TRUE.equals(c.unsigned());
        return switch (c.type().toLowerCase(Locale.ROOT)) {
            case "tinyint", "year" -> "smallint";
            case "smallint" -> unsigned ? "integer" : "smallint";
            case "mediumint" -> "integer";
            case "int", "integer" -> unsigned ? "bigint" : "integer";
            case "bigint" -> unsigned ? "numeric(20,0)" : "bigint";
            case "decimal", "numeric" -> "numeric(" + c.precision() + "," + c.scale() + ")";
            case "float" -> "real";
            case "double", "real" -> "double precision";
            case "bit" -> c.length() != null && c.length() == 1 ? "boolean" : "bit(" + c.length() + ")";
            case "date" -> "date";
            case "datetime" -> "timestamp(" + fsp(c) + ") without time zone";
            case "timestamp" -> "timestamp(" + fsp(c) + ") with time zone";
            case "time" -> "interval(" + fsp(c) + ")";
            case "char", "varchar" -> c.length() == null ? "text" : "varchar(" + c.length() + ")";
            case "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> "text";
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> "bytea";
            case "json" -> "json";
            case "uuid" -> "uuid";
            case "inet4", "inet6" -> "inet";
            default -> throw new UnsupportedTypeException(c);
        };
    }

    /** Whether every value of PostgreSQL type {@code was} is exactly a value of {@code is}. */
    @Override
    public boolean widens(String was, String is) {
        if (INTEGERS.contains(was) && (INTEGERS.indexOf(is) > INTEGERS.indexOf(was) || is.startsWith("numeric("))) {
            return !is.startsWith("numeric(") || digits(is)[0] - digits(is)[1] >= integerDigits(was);
        }
        if (was.equals("real") && is.equals("double precision")) {
            return true;
        }
        if (was.startsWith("varchar(") && is.equals("text")) {
            return true;
        }
        Matcher a = SIZED.matcher(was);
        Matcher b = SIZED.matcher(is);
        if (!a.matches()
                || !b.matches()
                || !a.group(1).equals(b.group(1))
                || !a.group(4).equals(b.group(4))) {
            return false;
        }
        int[] x = digits(was);
        int[] y = digits(is);
        return switch (a.group(1)) {
            case "numeric" -> y[1] >= x[1] && y[0] - y[1] >= x[0] - x[1];
            case "varchar", "timestamp", "interval" -> y[0] >= x[0];
            default -> false;
        };
    }

    private static int integerDigits(String type) {
        return switch (type) {
            case "smallint" -> 5;
            case "integer" -> 10;
            default -> 19;
        };
    }

    private static int[] digits(String type) {
        Matcher m = SIZED.matcher(type);
        if (!m.matches()) {
            return new int[] {0, 0};
        }
        return new int[] {Integer.parseInt(m.group(2)), m.group(3) == null ? 0 : Integer.parseInt(m.group(3))};
    }

    private static int fsp(ColumnDefinition c) {
        return c.fsp() == null ? 6 : c.fsp();
    }

    /** A source type the PostgreSQL target has no exact type for. */
    static final class UnsupportedTypeException extends RuntimeException {
        UnsupportedTypeException(ColumnDefinition c) {
            super("column '" + c.name() + "' has type " + c.type() + ", which the PostgreSQL target cannot hold");
        }
    }
}
