package dev.sluice.source;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import dev.sluice.schema.CharsetMap;
import dev.sluice.schema.Column;
import dev.sluice.schema.ColumnKind;
import dev.sluice.schema.DeclaredTypes;
import dev.sluice.schema.TableSchema;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link TableSchema} from a TABLE_MAP event whose optional metadata was written with
 * {@code binlog_row_metadata=FULL}. The metadata lists signedness per numeric column and collations per character
 * column, each in column order over only those columns; the counts are checked, because a miscount would decode
 * every later column of the table with the wrong charset.
 */
public final class SchemaBuilder {
    private static final int TYPE_ENUM = 247;
    private static final int TYPE_SET = 248;

    private final CharsetMap charsets;
    private final DeclaredTypes declaredTypes;
    private final BinlogColumnTypes columnTypes;

    public SchemaBuilder(CharsetMap charsets, DeclaredTypes declaredTypes) {
        this.charsets = charsets;
        this.declaredTypes = declaredTypes;
        this.columnTypes = new BinlogColumnTypes(charsets);
    }

    public TableSchema build(TableMapEventData map) {
        TableMapEventMetadata metadata = map.getEventMetadata();
        if (metadata == null
                || metadata.getColumnNames() == null
                || metadata.getColumnNames().isEmpty()) {
            throw new SchemaException(
                    "The binlog has no column names for " + map.getDatabase() + "."
                            + map.getTable() + ": the server is not running with binlog_row_metadata=FULL. "
                            + "Run SET GLOBAL binlog_row_metadata=FULL (and set it in the server config), then restart Sluice.");
        }
        byte[] types = map.getColumnTypes();
        int[] meta = map.getColumnMetadata();
        List<ColumnKind> kinds = new ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++) {
            kinds.add(kindOf(types[i] & 0xFF, meta[i], map, i));
        }
        BitSet unsigned = metadata.getSignedness() == null ? new BitSet() : metadata.getSignedness();
        Iterator<Charset> textCharsets =
                characterCharsets(metadata, count(kinds, true), map).iterator();
        Iterator<String[]> enumLabels = labels(metadata.getEnumStrValues()).iterator();
        Iterator<String[]> setLabels = labels(metadata.getSetStrValues()).iterator();
        List<Column> columns = new ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++) {
            ColumnKind kind = kinds.get(i);
            boolean isUnsigned = kind.isNumeric() && unsigned.get(i);
            Charset charset = kind.isCharacter() ? textCharsets.next() : null;
            List<String> labelList = kind == ColumnKind.ENUM
                    ? List.of(enumLabels.next())
                    : kind == ColumnKind.SET ? List.of(setLabels.next()) : List.of();
            columns.add(new Column(metadata.getColumnNames().get(i), kind, meta[i], isUnsigned, charset, labelList));
        }
        refineFixedBinaryTypes(columns, map);
        return new TableSchema(
                map.getTableId(),
                map.getDatabase(),
                map.getTable(),
                List.copyOf(columns),
                primaryKey(metadata),
                columnTypes.of(map, columns, declaredTypes));
    }

    private ColumnKind kindOf(int type, int meta, TableMapEventData map, int index) {
        return switch (type) {
            case 1 -> ColumnKind.TINYINT;
            case 2 -> ColumnKind.SMALLINT;
            case 9 -> ColumnKind.MEDIUMINT;
            case 3 -> ColumnKind.INT;
            case 8 -> ColumnKind.BIGINT;
            case 0, 246 -> ColumnKind.DECIMAL;
            case 4 -> ColumnKind.FLOAT;
            case 5 -> ColumnKind.DOUBLE;
            case 16 -> ColumnKind.BIT;
            case 13 -> ColumnKind.YEAR;
            case 10, 14 -> ColumnKind.DATE;
            case 11, 19 -> ColumnKind.TIME;
            case 12, 18 -> ColumnKind.DATETIME;
            case 7, 17 -> ColumnKind.TIMESTAMP;
            case 15, 253 -> ColumnKind.VARCHAR;
            case 249, 250, 251, 252 -> ColumnKind.BLOB;
            case 245 -> ColumnKind.JSON;
            case 255 -> ColumnKind.GEOMETRY;
            case 242 -> ColumnKind.VECTOR;
            case TYPE_ENUM -> ColumnKind.ENUM;
            case TYPE_SET -> ColumnKind.SET;
            case 254 -> stringKind(meta);
            default ->
                throw new SchemaException("Column " + (index + 1) + " of " + map.getDatabase() + "." + map.getTable()
                        + " has binlog type " + type + ", which Sluice cannot decode yet.");
        };
    }

    /**
     * MariaDB's UUID, INET6 and INET4 arrive as BINARY(16) / BINARY(4); the catalog says which columns they really
     * are. Done after the charset walk because the metadata counts them among the character columns. The catalog
     * describes the table as it is now: a column re-declared between a row's binlog event and Sluice reading it
     * (UUID to BINARY(16) or back, same name) is rendered by its current type (docs/types.md).
     */
    private void refineFixedBinaryTypes(List<Column> columns, TableMapEventData map) {
        Map<String, String> declared = null;
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            int length = c.fixedByteLength();
            if (c.kind() != ColumnKind.CHAR || !c.isBinary() || (length != 16 && length != 4)) {
                continue;
            }
            declared = declared != null ? declared : declaredTypes.of(map.getDatabase(), map.getTable());
            ColumnKind kind = switch (declared.getOrDefault(c.name(), "") + "/" + length) {
                case "uuid/16" -> ColumnKind.UUID;
                case "inet6/16" -> ColumnKind.INET6;
                case "inet4/4" -> ColumnKind.INET4;
                default -> ColumnKind.CHAR;
            };
            if (kind != ColumnKind.CHAR) {
                columns.set(i, new Column(c.name(), kind, c.meta(), false, null, List.of()));
            }
        }
    }

    /** STRING columns carry their real type in the high metadata byte (ENUM and SET are sent as STRING). */
    private static ColumnKind stringKind(int meta) {
        int realType = meta >= 256 && ((meta >> 8) & 0x30) == 0x30 ? meta >> 8 : 254;
        return realType == TYPE_ENUM ? ColumnKind.ENUM : realType == TYPE_SET ? ColumnKind.SET : ColumnKind.CHAR;
    }

    private List<Charset> characterCharsets(
            TableMapEventMetadata metadata, int characterColumns, TableMapEventData map) {
        List<Charset> result = new ArrayList<>(characterColumns);
        if (metadata.getColumnCharsets() != null) {
            for (int collation : metadata.getColumnCharsets()) {
                result.add(charset(collation, map));
            }
        } else if (metadata.getDefaultCharset() != null) {
            TableMapEventMetadata.DefaultCharset dc = metadata.getDefaultCharset();
            Map<Integer, Integer> exceptions = dc.getCharsetCollations() == null ? Map.of() : dc.getCharsetCollations();
            for (int i = 0; i < characterColumns; i++) {
                result.add(charset(exceptions.getOrDefault(i, dc.getDefaultCharsetCollation()), map));
            }
        }
        if (result.size() != characterColumns) {
            throw new SchemaException("The binlog metadata of " + map.getDatabase() + "." + map.getTable() + " lists "
                    + result.size() + " character set(s) for " + characterColumns + " character column(s); "
                    + "refusing to guess which column has which charset.");
        }
        return result;
    }

    private Charset charset(int collation, TableMapEventData map) {
        try {
            return charsets.javaCharset(collation);
        } catch (RuntimeException e) {
            throw new SchemaException("A column of " + map.getDatabase() + "." + map.getTable()
                    + " uses a character set Sluice cannot decode: " + e.getMessage());
        }
    }

    private static int[] primaryKey(TableMapEventMetadata metadata) {
        if (metadata.getSimplePrimaryKeys() != null
                && !metadata.getSimplePrimaryKeys().isEmpty()) {
            return metadata.getSimplePrimaryKeys().stream()
                    .mapToInt(Integer::intValue)
                    .toArray();
        }
        if (metadata.getPrimaryKeysWithPrefix() != null
                && !metadata.getPrimaryKeysWithPrefix().isEmpty()) {
            return metadata.getPrimaryKeysWithPrefix().keySet().stream()
                    .mapToInt(Integer::intValue)
                    .toArray();
        }
        return new int[0];
    }

    private static int count(List<ColumnKind> kinds, boolean character) {
        return (int) kinds.stream().filter(k -> k.isCharacter() == character).count();
    }

    private static List<String[]> labels(List<String[]> labels) {
        return labels == null ? List.of() : labels;
    }

    /** The binlog does not describe a table well enough to decode it exactly. */
    public static final class SchemaException extends RuntimeException {
        public SchemaException(String message) {
            super(message);
        }
    }
}
