package dev.sluice.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What a {@code <prefix>._schemas} record must say about a table, read straight from {@code information_schema}
 * (docs/output-format.md, "Schema versions"): its {@code columns} and {@code primary_key}, as JSON to compare with
 * the record's. Written apart from Sluice's own catalog reading, so the two can disagree.
 */
public final class CatalogColumns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogColumns() {}

    /** The record's {@code columns} array for {@code database.table} as the server describes the table now. */
    public static ArrayNode columns(Connection c, String database, String table) throws SQLException {
        ArrayNode columns = JSON.createArrayNode();
        try (PreparedStatement st = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, "
                + "CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, "
                + "CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            st.setString(1, database);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.add(column(rs));
                }
            }
        }
        return asParsed(columns);
    }

    /** As a reader of the record parses it (small numbers as int nodes), so the two compare equal. */
    private static ArrayNode asParsed(ArrayNode built) {
        try {
            return (ArrayNode) JSON.readTree(built.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The record's {@code primary_key}: the PRIMARY KEY's columns in key order. */
    public static ArrayNode primaryKey(Connection c, String database, String table) throws SQLException {
        ArrayNode key = JSON.createArrayNode();
        try (PreparedStatement st = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.STATISTICS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX")) {
            st.setString(1, database);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    private static JsonNode column(ResultSet rs) throws SQLException {
        String type = rs.getString(2).toLowerCase(Locale.ROOT);
        String columnType = rs.getString(3).toLowerCase(Locale.ROOT);
        ObjectNode c = JSON.createObjectNode();
        c.put("name", rs.getString(1));
        c.put("type", type);
        switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "bigint", "float", "double" ->
                c.put("unsigned", columnType.contains("unsigned"));
            case "decimal" -> {
                c.put("precision", rs.getInt(6));
                c.put("scale", rs.getInt(7));
                c.put("unsigned", columnType.contains("unsigned"));
            }
            case "bit" -> c.put("length", rs.getLong(6));
            case "char", "varchar", "binary", "varbinary" -> c.put("length", rs.getLong(5));
            case "time", "datetime", "timestamp" -> c.put("fsp", rs.getInt(8));
            case "enum", "set" -> c.set("labels", labels(rs.getString(3)));
            default -> {}
        }
        if (rs.getString(9) != null) {
            c.put("charset", rs.getString(9).toLowerCase(Locale.ROOT));
            c.put("collation", rs.getString(10));
        }
        c.put("nullable", "YES".equalsIgnoreCase(rs.getString(4)));
        return c;
    }

    /** Labels of {@code enum('a','b')}: enough for plain labels (no quotes or backslashes in them). */
    private static ArrayNode labels(String columnType) {
        ArrayNode labels = JSON.createArrayNode();
        String list = columnType.substring(columnType.indexOf('(') + 1, columnType.lastIndexOf(')'));
        for (String quoted : list.split(",")) {
            labels.add(quoted.substring(1, quoted.length() - 1));
        }
        return labels;
    }
}
