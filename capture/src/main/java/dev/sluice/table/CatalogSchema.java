package dev.sluice.table;

import dev.sluice.config.TableFilter;
import dev.sluice.schema.CharsetMap;
import dev.sluice.schema.Column;
import dev.sluice.schema.ColumnDefinition;
import dev.sluice.schema.ColumnKind;
import dev.sluice.schema.TableSchema;
import java.nio.charset.Charset;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The source's catalog as capture reads it: which tables are captured ({@link #capturedTables}), and a table's
 * schema from {@code information_schema}, equal to the one {@link dev.sluice.source.SchemaBuilder}
 * builds from the table's TABLE_MAP event: same column kinds, the metadata word the binlog would carry for each
 * (CellWriter and the temporal decoding read it), signedness, charsets, ENUM/SET labels and primary key. A snapshot
 * needs it before any binlog event of the table may have been seen.
 *
 * <p>One known gap: the catalog shows ENUM and SET labels in utf8mb3, so a character outside the Basic Multilingual
 * Plane (an emoji in a utf8mb4 label) reads as {@code '?'}. Such labels are kept as the catalog shows them and
 * {@link SnapshotCells} refuses a row that holds one (docs/types.md, "Snapshot values").
 *
 * <p>Stateless: every method reads the catalog on the caller's connection, so it may be called from any thread that
 * owns that connection.
 */
public final class CatalogSchema {
    /** The real-type byte of a fixed-length string in TABLE_MAP metadata (MYSQL_TYPE_STRING). */
    private static final int TYPE_STRING = 0xFE;

    private static final int TYPE_ENUM = 0xF7;
    private static final int TYPE_SET = 0xF8;
    private static final String ROW_START = "row_start";
    private static final String ROW_END = "row_end";

    /**
     * Columns in table order. Only the character set of a column matters for decoding, so its charset is looked up
     * by the character set's default collation: MariaDB 10.10+ lists its UCA-14.0 collations (the 11.x default,
     * e.g. utf8mb4_uca1400_ai_ci) in COLLATIONS without an id.
     */
    private static final String COLUMNS = "SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, "
            + "c.COLUMN_TYPE, c.CHARACTER_OCTET_LENGTH, c.NUMERIC_PRECISION, c.NUMERIC_SCALE, c.DATETIME_PRECISION, "
            + "co.ID, c.GENERATION_EXPRESSION, c.IS_NULLABLE, c.CHARACTER_MAXIMUM_LENGTH, c.CHARACTER_SET_NAME, "
            + "c.COLLATION_NAME FROM information_schema.COLUMNS c "
            + "LEFT JOIN information_schema.COLLATIONS co "
            + "ON co.CHARACTER_SET_NAME = c.CHARACTER_SET_NAME AND co.IS_DEFAULT = 'Yes' "
            + "WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? ORDER BY c.ORDINAL_POSITION";

    private static final String TABLE_TYPE =
            "SELECT TABLE_TYPE FROM information_schema.TABLES " + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
    /** Index parts in the server's key order (PRIMARY first, then unique keys): the catalog lists them so. */
    private static final String KEYS = "SELECT INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, NULLABLE, SUB_PART "
            + "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";

    /** Base tables (no views), in name order. */
    private static final String TABLES = "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
            + "WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME";

    private CatalogSchema() {}

    /** Every base table {@code filter} captures, in name order. */
    public static List<TableName> capturedTables(Connection c, TableFilter filter) throws SQLException {
        List<TableName> tables = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(TABLES)) {
            while (rs.next()) {
                if (filter.captures(rs.getString(1), rs.getString(2))) {
                    tables.add(new TableName(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return tables;
    }

    /** The schema of {@code database.table}, or empty when there is no such table. Table id is -1. */
    public static Optional<TableSchema> read(Connection c, String database, String table, CharsetMap charsets)
            throws SQLException {
        CatalogTable t = columns(c, database, table, charsets);
        if (t.columns().isEmpty()) {
            return Optional.empty();
        }
        List<Column> columns = new ArrayList<>(t.columns());
        List<ColumnDefinition> definitions = new ArrayList<>(t.definitions());
        int[] primaryKey = primaryKey(c, database, table, columns);
        if (!t.declaresRowEnd() && isSystemVersioned(c, database, table)) {
            for (String period : List.of(ROW_START, ROW_END)) {
                columns.add(new Column(period, ColumnKind.TIMESTAMP, 6, false, null, List.of()));
                definitions.add(ColumnDefinition.of(period, "timestamp", false).withFsp(6));
            }
            primaryKey = withRowEnd(primaryKey, columns.size() - 1);
        }
        return Optional.of(new TableSchema(
                -1, t.database(), t.table(), List.copyOf(columns), primaryKey, List.copyOf(definitions)));
    }

    /** The catalog's columns of a table, with its names as the server spells them. */
    private record CatalogTable(
            String database,
            String table,
            List<Column> columns,
            List<ColumnDefinition> definitions,
            boolean declaresRowEnd) {}

    private static CatalogTable columns(Connection c, String database, String table, CharsetMap charsets)
            throws SQLException {
        List<Column> columns = new ArrayList<>();
        List<ColumnDefinition> definitions = new ArrayList<>();
        String[] names = {database, table};
        boolean declaresRowEnd = false;
        try (PreparedStatement st = c.prepareStatement(COLUMNS)) {
            st.setString(1, database);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    names = new String[] {rs.getString(1), rs.getString(2)};
                    CatalogColumn col = new CatalogColumn(rs, names[0] + "." + names[1]);
                    Column column = column(col, charsets);
                    columns.add(column);
                    definitions.add(definition(col, column.labels()));
                    declaresRowEnd |= "ROW END".equalsIgnoreCase(rs.getString(11));
                }
            }
        }
        return new CatalogTable(names[0], names[1], columns, definitions, declaresRowEnd);
    }

    /** The server appends row_end to every unique key of a system-versioned table, the primary key included. */
    private static int[] withRowEnd(int[] key, int rowEnd) {
        if (key.length == 0) {
            return key;
        }
        int[] extended = Arrays.copyOf(key, key.length + 1);
        extended[key.length] = rowEnd;
        return extended;
    }

    /**
     * {@code WITH SYSTEM VERSIONING} without declared period columns gives the table two hidden columns, after all
     * others: {@code row_start} and {@code row_end}, TIMESTAMP(6). The catalog does not list them, nor row_end in the
     * keys, where the server appends it to every unique key; the binlog has both in every row and row_end in the
     * primary key. They are named in a SELECT like any column (a plain SELECT returns only current rows; {@code FOR
     * SYSTEM_TIME ALL} also returns the history rows, which the stream publishes as rows too).
     */
    private static boolean isSystemVersioned(Connection c, String database, String table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(TABLE_TYPE)) {
            st.setString(1, database);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && "SYSTEM VERSIONED".equalsIgnoreCase(rs.getString(1));
            }
        }
    }

    /** One row of information_schema.COLUMNS, read once. */
    record CatalogColumn(
            String table,
            String name,
            String dataType,
            String columnType,
            long octets,
            int precision,
            int scale,
            int fsp,
            Integer collationId,
            boolean nullable,
            Long characters,
            String charsetName,
            String collationName) {
        CatalogColumn(ResultSet rs, String table) throws SQLException {
            this(
                    table,
                    rs.getString(3),
                    rs.getString(4).toLowerCase(Locale.ROOT),
                    rs.getString(5),
                    rs.getLong(6),
                    rs.getInt(7),
                    rs.getInt(8),
                    rs.getInt(9),
                    rs.getObject(10, Integer.class),
                    "YES".equalsIgnoreCase(rs.getString(12)),
                    rs.getObject(13, Long.class),
                    rs.getString(14),
                    rs.getString(15));
        }

        CatalogColumn(
                String table,
                String name,
                String dataType,
                String columnType,
                long octets,
                int precision,
                int scale,
                int fsp,
                Integer collationId) {
            this(table, name, dataType, columnType, octets, precision, scale, fsp, collationId, true, null, null, null);
        }

        String where() {
            return "column `" + name + "` of " + table;
        }
    }

    private static Column column(CatalogColumn col, CharsetMap charsets) {
        ColumnKind kind = kindOf(col);
        List<String> labels = kind == ColumnKind.ENUM || kind == ColumnKind.SET ? labels(col) : List.of();
        boolean unsigned =
                kind.isNumeric() && col.columnType().toLowerCase(Locale.ROOT).contains(" unsigned");
        Charset charset = kind.isCharacter() ? charset(col, charsets) : null;
        return new Column(col.name(), kind, meta(kind, col, labels.size()), unsigned, charset, labels);
    }

    /**
     * The column's source type as the catalog states it, for the {@code _schemas} topic: its data type name, the
     * lengths, precision and fraction digits of its type, signedness, character set and collation, labels and
     * nullability. Independent of the binlog's view, which must come out the same (CatalogSchemaTest).
     */
    static ColumnDefinition definition(CatalogColumn col, List<String> labels) {
        String type = col.dataType();
        ColumnDefinition d = ColumnDefinition.of(col.name(), type, col.nullable());
        if (ColumnDefinition.isNumeric(type)) {
            d = d.withUnsigned(col.columnType().toLowerCase(Locale.ROOT).contains(" unsigned"));
        }
        if (ColumnDefinition.isText(type) && col.charsetName() != null) {
            d = d.withText(col.charsetName().toLowerCase(Locale.ROOT), col.collationName());
        }
        return switch (type) {
            case "decimal" -> d.withDecimal(col.precision(), col.scale());
            case "bit" -> d.withLength((long) col.precision());
            case "char", "varchar", "binary", "varbinary" -> d.withLength(col.characters());
            case "time", "datetime", "timestamp" -> d.withFsp(col.fsp());
            case "enum", "set" -> d.withLabels(labels);
            default -> d;
        };
    }

    /** The kind SchemaBuilder resolves from the binlog type byte (and, for MariaDB's UUID/INET types, the catalog). */
    static ColumnKind kindOf(CatalogColumn col) {
        return switch (col.dataType()) {
            case "tinyint" -> ColumnKind.TINYINT;
            case "smallint" -> ColumnKind.SMALLINT;
            case "mediumint" -> ColumnKind.MEDIUMINT;
            case "int", "integer" -> ColumnKind.INT;
            case "bigint" -> ColumnKind.BIGINT;
            case "decimal", "numeric" -> ColumnKind.DECIMAL;
            case "float" -> ColumnKind.FLOAT;
            case "double", "real", "double precision" -> ColumnKind.DOUBLE;
            case "bit" -> ColumnKind.BIT;
            case "year" -> ColumnKind.YEAR;
            case "date" -> ColumnKind.DATE;
            case "time" -> ColumnKind.TIME;
            case "datetime" -> ColumnKind.DATETIME;
            case "timestamp" -> ColumnKind.TIMESTAMP;
            case "char", "binary" -> ColumnKind.CHAR;
            case "varchar", "varbinary" -> ColumnKind.VARCHAR;
            // MariaDB's JSON is LONGTEXT (the catalog says so): a text BLOB in the binlog too.
            case "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob" ->
                ColumnKind.BLOB;
            case "enum" -> ColumnKind.ENUM;
            case "set" -> ColumnKind.SET;
            case "geometry",
                    "point",
                    "linestring",
                    "polygon",
                    "multipoint",
                    "multilinestring",
                    "multipolygon",
                    "geometrycollection" -> ColumnKind.GEOMETRY;
            case "uuid" -> ColumnKind.UUID;
            case "inet6" -> ColumnKind.INET6;
            case "inet4" -> ColumnKind.INET4;
            case "json" ->
                throw new UnsupportedColumnException(col.where() + " is MySQL's binary JSON: the stream "
                        + "decodes the binlog's binary form, which a SELECT never returns, so a snapshot cannot produce "
                        + "the same cell. Snapshots of MySQL JSON columns are not supported yet.");
            case "vector" ->
                throw new UnsupportedColumnException(col.where() + " is a VECTOR, which Sluice does not "
                        + "support yet (neither in the stream nor in snapshots).");
            default ->
                throw new UnsupportedColumnException(
                        col.where() + " has data type '" + col.dataType() + "', which Sluice cannot snapshot.");
        };
    }

    /**
     * The metadata word of the column's TABLE_MAP entry, as the binlog library reads it: the server writes it per
     * type ({@code Field::save_field_metadata}) and the decoders read lengths and fraction digits from it.
     */
    static int meta(ColumnKind kind, CatalogColumn col, int labelCount) {
        return switch (kind) {
            case DECIMAL -> col.precision() | col.scale() << 8;
            case FLOAT -> 4;
            case DOUBLE -> 8;
            // Two bytes read little-endian: bits in the last partial byte, then whole bytes.
            case BIT -> (col.precision() / 8) << 8 | col.precision() % 8;
            case TIME, DATETIME, TIMESTAMP -> col.fsp();
            case CHAR -> fixedString((int) col.octets());
            case UUID, INET6 -> fixedString(16);
            case INET4 -> fixedString(4);
            case VARCHAR -> (int) col.octets();
            case BLOB -> blobLengthBytes(col.dataType());
            // A LONGBLOB underneath: the value's length takes 4 bytes.
            case GEOMETRY -> 4;
            case ENUM -> TYPE_ENUM << 8 | (labelCount < 256 ? 1 : 2);
            case SET -> TYPE_SET << 8 | setBytes(labelCount);
            default -> 0;
        };
    }

    /**
     * A CHAR/BINARY length in the STRING metadata: real type in the high byte with two length bits folded into it
     * (XOR), the low 8 length bits in the low byte (the inverse of {@link Column#fixedByteLength()}).
     */
    private static int fixedString(int length) {
        return (TYPE_STRING ^ ((length & 0x300) >> 4)) << 8 | (length & 0xFF);
    }

    private static int blobLengthBytes(String dataType) {
        if (dataType.startsWith("tiny")) {
            return 1;
        }
        if (dataType.startsWith("medium")) {
            return 3;
        }
        return dataType.startsWith("long") ? 4 : 2;
    }

    /** The server's SET storage: one byte per 8 members, rounded up to 8 bytes above 4. */
    private static int setBytes(int members) {
        int bytes = (members + 7) / 8;
        return bytes > 4 ? 8 : bytes;
    }

    private static Charset charset(CatalogColumn col, CharsetMap charsets) {
        if (col.collationId() == null) {
            return null; // binary strings and spatial values have no character set in the catalog
        }
        try {
            return charsets.javaCharset(col.collationId());
        } catch (RuntimeException e) {
            throw new UnsupportedColumnException(
                    col.where() + " uses a character set Sluice cannot decode: " + e.getMessage());
        }
    }

    /**
     * ENUM/SET labels from COLUMN_TYPE, e.g. {@code enum('a','it''s','b\\c')}: each label is quoted, with
     * {@code ''} for a quote and backslash escapes for backslash, NUL, newline and carriage return (the server's
     * {@code append_unescaped}).
     */
    static List<String> labels(CatalogColumn col) {
        String type = col.columnType();
        int pos = type.indexOf('(') + 1;
        List<String> labels = new ArrayList<>();
        StringBuilder label = new StringBuilder();
        while (pos < type.length() && type.charAt(pos) == '\'') {
            pos++;
            label.setLength(0);
            while (true) {
                char ch = type.charAt(pos++);
                if (ch == '\'' && pos < type.length() && type.charAt(pos) == '\'') {
                    label.append('\'');
                    pos++;
                } else if (ch == '\'') {
                    break;
                } else if (ch == '\\') {
                    label.append(unescaped(type.charAt(pos++)));
                } else {
                    label.append(ch);
                }
            }
            labels.add(label.toString());
            pos++; // ',' or ')'
        }
        return List.copyOf(labels);
    }

    private static char unescaped(char escaped) {
        return switch (escaped) {
            case '0' -> '\0';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'Z' -> '\u001A';
            default -> escaped;
        };
    }

    /**
     * The primary key as the binlog's row metadata reports it: the PRIMARY KEY, or else the server's stand-in for
     * one, the first UNIQUE key (in the server's key order) whose parts are all NOT NULL and whole columns (the
     * server then treats that key as the primary key, and TABLE_MAP says so).
     */
    private static int[] primaryKey(Connection c, String database, String table, List<Column> columns)
            throws SQLException {
        Map<String, List<KeyPart>> keys = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement(KEYS)) {
            st.setString(1, database);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new KeyPart(
                                    rs.getInt(2),
                                    rs.getString(3),
                                    rs.getInt(4) == 0,
                                    "YES".equalsIgnoreCase(rs.getString(5)),
                                    rs.getObject(6) != null));
                }
            }
        }
        List<KeyPart> key = keys.get("PRIMARY");
        if (key == null) {
            key = keys.values().stream()
                    .filter(CatalogSchema::standsInForPrimaryKey)
                    .findFirst()
                    .orElse(List.of());
        }
        return key.stream()
                .sorted((a, b) -> Integer.compare(a.seq(), b.seq()))
                .mapToInt(part -> indexOf(columns, part.column()))
                .toArray();
    }

    private record KeyPart(int seq, String column, boolean unique, boolean nullable, boolean prefix) {}

    private static boolean standsInForPrimaryKey(List<KeyPart> key) {
        return key.stream().allMatch(p -> p.unique() && !p.nullable() && !p.prefix());
    }

    private static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalStateException("key column " + name + " is not a column of the table");
    }

    /** A column whose values a snapshot cannot read so that they encode exactly like the stream's. */
    public static final class UnsupportedColumnException extends RuntimeException {
        public UnsupportedColumnException(String message) {
            super(message);
        }
    }
}
