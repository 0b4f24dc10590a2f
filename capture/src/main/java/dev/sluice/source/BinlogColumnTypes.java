package dev.sluice.source;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import dev.sluice.schema.CharsetMap;
import dev.sluice.schema.Column;
import dev.sluice.schema.ColumnDefinition;
import dev.sluice.schema.ColumnKind;
import dev.sluice.schema.DeclaredTypes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Each column's source type ({@link ColumnDefinition}) from a TABLE_MAP written with
 * {@code binlog_row_metadata=FULL}: the type byte and its metadata word (lengths, precision, fraction digits), the
 * signedness bits, the collation ids of text and ENUM/SET columns, the geometry types, and the NULL bitmap that every
 * TABLE_MAP carries. A text column's length in characters is its byte length over its character set's bytes per
 * character (the server stores {@code n} times that), read from the server's catalog of character sets. What the
 * event does not carry exactly is left out: a collation id the server does not name, a spatial column without its
 * geometry type (then the catalog's declared type is used, as for UUID).
 */
final class BinlogColumnTypes {
    private static final String[] GEOMETRY_TYPES = {
        "geometry",
        "point",
        "linestring",
        "polygon",
        "multipoint",
        "multilinestring",
        "multipolygon",
        "geometrycollection"
    };

    private final CharsetMap charsets;

    BinlogColumnTypes(CharsetMap charsets) {
        this.charsets = charsets;
    }

    List<ColumnDefinition> of(TableMapEventData map, List<Column> columns, DeclaredTypes declaredTypes) {
        TableMapEventMetadata metadata = map.getEventMetadata();
        BitSet nullable = map.getColumnNullability() == null ? new BitSet() : map.getColumnNullability();
        Iterator<Integer> textCollations = textCollations(metadata, columns).iterator();
        Iterator<Integer> labelCollations = labelCollations(metadata, columns).iterator();
        Iterator<Integer> geometryTypes =
                listOrEmpty(metadata.getGeometryTypes()).iterator();
        Map<String, String> declared = null;
        List<ColumnDefinition> definitions = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            ColumnDefinition d = ColumnDefinition.of(c.name(), typeName(c), nullable.get(i));
            if (c.kind() == ColumnKind.GEOMETRY) {
                Integer code = geometryTypes.hasNext() ? geometryTypes.next() : null;
                if (code == null || code < 0 || code >= GEOMETRY_TYPES.length) {
                    declared = declared != null ? declared : declaredTypes.of(map.getDatabase(), map.getTable());
                    d = ColumnDefinition.of(c.name(), declared.getOrDefault(c.name(), "geometry"), nullable.get(i));
                } else {
                    d = ColumnDefinition.of(c.name(), GEOMETRY_TYPES[code], nullable.get(i));
                }
            }
            Integer collation = carriesCollation(c.kind())
                    ? textCollations.next()
                    : isEnumOrSet(c.kind()) ? labelCollations.next() : null;
            definitions.add(detail(d, c, collation));
        }
        return List.copyOf(definitions);
    }

    /** The type name without detail; spatial columns are named from the geometry types. */
    private static String typeName(Column c) {
        return switch (c.kind()) {
            case TINYINT -> "tinyint";
            case SMALLINT -> "smallint";
            case MEDIUMINT -> "mediumint";
            case INT -> "int";
            case BIGINT -> "bigint";
            case DECIMAL -> "decimal";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case BIT -> "bit";
            case YEAR -> "year";
            case DATE -> "date";
            case TIME -> "time";
            case DATETIME -> "datetime";
            case TIMESTAMP -> "timestamp";
            case CHAR -> c.isBinary() ? "binary" : "char";
            case VARCHAR -> c.isBinary() ? "varbinary" : "varchar";
            case BLOB -> blobSize(c.meta()) + (c.isBinary() ? "blob" : "text");
            case ENUM -> "enum";
            case SET -> "set";
            case JSON -> "json";
            case GEOMETRY -> "geometry";
            case VECTOR -> "vector";
            case UUID -> "uuid";
            case INET6 -> "inet6";
            case INET4 -> "inet4";
        };
    }

    private ColumnDefinition detail(ColumnDefinition d, Column c, Integer collationId) {
        int meta = c.meta();
        return switch (c.kind()) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT, FLOAT, DOUBLE -> d.withUnsigned(c.unsigned());
            case DECIMAL -> d.withDecimal(meta & 0xFF, meta >> 8).withUnsigned(c.unsigned());
            case BIT -> d.withLength((long) ((meta >> 8) * 8 + (meta & 0xFF)));
            case TIME, DATETIME, TIMESTAMP -> d.withFsp(meta);
            case CHAR -> text(d, c.fixedByteLength(), c, collationId);
            case VARCHAR -> text(d, meta, c, collationId);
            case BLOB -> c.isBinary() ? d : withCollation(d, collationId);
            case ENUM, SET -> withCollation(d.withLabels(c.labels()), collationId);
            default -> d;
        };
    }

    /** A CHAR or VARCHAR: bytes for binary strings, characters for text. */
    private ColumnDefinition text(ColumnDefinition d, int bytes, Column c, Integer collationId) {
        if (c.isBinary()) {
            return d.withLength((long) bytes);
        }
        CharsetMap.Collation collation = collationId == null ? null : charsets.collation(collationId);
        Integer perChar = collation == null ? null : charsets.maxBytesPerChar(collation.charset());
        ColumnDefinition named = withCollation(d, collationId);
        return perChar == null || perChar == 0 || bytes % perChar != 0
                ? named
                : named.withLength((long) bytes / perChar);
    }

    private ColumnDefinition withCollation(ColumnDefinition d, Integer collationId) {
        CharsetMap.Collation collation = collationId == null ? null : charsets.collation(collationId);
        if (collation == null || collation.charset().equals("binary")) {
            return d;
        }
        return d.withText(collation.charset(), collation.name());
    }

    private static String blobSize(int lengthBytes) {
        return switch (lengthBytes) {
            case 1 -> "tiny";
            case 3 -> "medium";
            case 4 -> "long";
            default -> "";
        };
    }

    /** Columns the metadata lists a collation for, in column order (UUID and INET were BINARY there). */
    private static boolean carriesCollation(ColumnKind kind) {
        return kind.isCharacter() || kind == ColumnKind.UUID || kind == ColumnKind.INET6 || kind == ColumnKind.INET4;
    }

    private static boolean isEnumOrSet(ColumnKind kind) {
        return kind == ColumnKind.ENUM || kind == ColumnKind.SET;
    }

    private static List<Integer> textCollations(TableMapEventMetadata metadata, List<Column> columns) {
        int count =
                (int) columns.stream().filter(c -> carriesCollation(c.kind())).count();
        return collations(metadata.getColumnCharsets(), metadata.getDefaultCharset(), count);
    }

    private static List<Integer> labelCollations(TableMapEventMetadata metadata, List<Column> columns) {
        int count = (int) columns.stream().filter(c -> isEnumOrSet(c.kind())).count();
        return collations(metadata.getEnumAndSetColumnCharsets(), metadata.getEnumAndSetDefaultCharset(), count);
    }

    /** One collation id per column, from the per-column list or the default with its exceptions; null if neither. */
    private static List<Integer> collations(
            List<Integer> perColumn, TableMapEventMetadata.DefaultCharset defaults, int count) {
        List<Integer> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (perColumn != null && i < perColumn.size()) {
                result.add(perColumn.get(i));
            } else if (perColumn == null && defaults != null) {
                Map<Integer, Integer> exceptions =
                        defaults.getCharsetCollations() == null ? Map.of() : defaults.getCharsetCollations();
                result.add(exceptions.getOrDefault(i, defaults.getDefaultCharsetCollation()));
            } else {
                result.add(null);
            }
        }
        return result;
    }

    private static <T> List<T> listOrEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
