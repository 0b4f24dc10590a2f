package dev.sluice.schema;

import java.util.List;
import java.util.Objects;

/**
 * One column's source type as the {@code <prefix>._schemas} topic describes it: what a loader needs to create the
 * column in a target table. Built from the binlog's TABLE_MAP for streamed rows and from
 * {@code information_schema.COLUMNS} for copied ones; both give the same definition for the same column.
 *
 * <p>A field the source does not give exactly is {@code null} (and left out of the JSON), never guessed. Which
 * fields each {@code type} has is written out on {@link TableSchemaJson}.
 *
 * @param type      the server's data type name, lower case, as {@code information_schema.COLUMNS.DATA_TYPE} shows it
 *                  ({@code int}, {@code varchar}, {@code longtext}, {@code point}, {@code uuid}, ...)
 * @param length    characters of {@code char}/{@code varchar}, bytes of {@code binary}/{@code varbinary}, bits of
 *                  {@code bit}
 * @param precision total digits of {@code decimal}
 * @param scale     fraction digits of {@code decimal}
 * @param fsp       fractional second digits (0-6) of {@code time}, {@code datetime}, {@code timestamp}
 * @param unsigned  for the numeric types only
 * @param charset   the character set of a text column ({@code utf8mb4}, {@code latin1}, ...); null for binary data
 * @param collation the collation of a text column ({@code utf8mb4_general_ci}, ...)
 * @param labels    the members of an {@code enum} or {@code set}, in definition order; empty otherwise
 * @param nullable  whether the column accepts NULL
 */
public record ColumnDefinition(
        String name,
        String type,
        Long length,
        Integer precision,
        Integer scale,
        Integer fsp,
        Boolean unsigned,
        String charset,
        String collation,
        List<String> labels,
        boolean nullable) {
    public ColumnDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        labels = List.copyOf(labels);
    }

    /** The spatial types, by the names {@code type} has (MySQL 8 also says {@code geomcollection}). */
    private static final java.util.Set<String> SPATIAL = java.util.Set.of(
            "geometry",
            "point",
            "linestring",
            "polygon",
            "multipoint",
            "multilinestring",
            "multipolygon",
            "geometrycollection",
            "geomcollection");

    /** Whether the column holds a spatial value (a change event's {@code {"wkb","srid"}} object). */
    public boolean isSpatial() {
        return SPATIAL.contains(type.toLowerCase(java.util.Locale.ROOT));
    }

    /** A column of {@code type} with no further detail, for the builders to add to. */
    public static ColumnDefinition of(String name, String type, boolean nullable) {
        return new ColumnDefinition(name, type, null, null, null, null, null, null, null, List.of(), nullable);
    }

    public ColumnDefinition withLength(Long length) {
        return new ColumnDefinition(
                name, type, length, precision, scale, fsp, unsigned, charset, collation, labels, nullable);
    }

    public ColumnDefinition withDecimal(int precision, int scale) {
        return new ColumnDefinition(
                name, type, length, precision, scale, fsp, unsigned, charset, collation, labels, nullable);
    }

    public ColumnDefinition withFsp(int fsp) {
        return new ColumnDefinition(
                name, type, length, precision, scale, fsp, unsigned, charset, collation, labels, nullable);
    }

    public ColumnDefinition withUnsigned(boolean unsigned) {
        return new ColumnDefinition(
                name, type, length, precision, scale, fsp, unsigned, charset, collation, labels, nullable);
    }

    public ColumnDefinition withText(String charset, String collation) {
        return new ColumnDefinition(
                name, type, length, precision, scale, fsp, unsigned, charset, collation, labels, nullable);
    }

    public ColumnDefinition withLabels(List<String> labels) {
        return new ColumnDefinition(
                name, type, length, precision, scale, fsp, unsigned, charset, collation, labels, nullable);
    }

    /** Whether {@code type} is one of the numeric types, which carry {@code unsigned}. */
    public static boolean isNumeric(String type) {
        return switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double" -> true;
            default -> false;
        };
    }

    /** Whether {@code type} holds text in a character set (and so has {@code charset} and {@code collation}). */
    public static boolean isText(String type) {
        return switch (type) {
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> true;
            default -> false;
        };
    }
}
