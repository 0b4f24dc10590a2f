package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.event.RowImage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A target table as the hand-written loaders see it: its qualified name and its columns with their PostgreSQL types
 * (read from the catalog; the harness created the table), the first column being the integer primary key, as in
 * every backlog table. It turns a change event's image into the text of each cell, and gives the SQL expression
 * that casts a bound text parameter to the column's type.
 */
final class BaselineTable {
    private final String name;
    private final List<String> columns;
    private final List<String> types;

    private BaselineTable(String name, List<String> columns, List<String> types) {
        this.name = name;
        this.columns = columns;
        this.types = types;
    }

    /** The table {@code schema.table} as the target's catalog describes it. */
    static BaselineTable read(Connection c, String schema, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname, format_type(atttypid, atttypmod) "
                + "FROM pg_attribute WHERE attrelid = CAST(? AS regclass) AND attnum > 0 AND NOT attisdropped "
                + "ORDER BY attnum")) {
            ps.setString(1, quote(schema) + "." + quote(table));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                    types.add(rs.getString(2));
                }
            }
        }
        return new BaselineTable(quote(schema) + "." + quote(table), List.copyOf(columns), List.copyOf(types));
    }

    String name() {
        return name;
    }

    List<String> columns() {
        return columns;
    }

    String key() {
        return quote(columns.get(0));
    }

    /** {@code "a", "b", ...}. */
    String columnList() {
        return columns.stream().map(BaselineTable::quote).collect(Collectors.joining(", "));
    }

    /**
     * A text parameter cast to column {@code i}'s type. Sluice's JSON writes BIT(n) as its number, which PostgreSQL
     * casts to bit(n) only from an integer.
     */
    String parameter(int i) {
        String type = types.get(i);
        return isBits(type) ? "CAST(CAST(? AS bigint) AS " + type + ")" : "CAST(? AS " + type + ")";
    }

    /** The text of each cell of {@code image} in column order, null for SQL NULL. */
    String[] cells(RowImage image) {
        String[] cells = new String[columns.size()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = text(image.get(columns.get(i)));
        }
        return cells;
    }

    /** The key's text from a change event's key image. */
    String keyOf(RowImage key) {
        return text(key.get(columns.get(0)));
    }

    /** A cell as COPY's text format needs it: BIT(n) as its digits, other types as cast from the cell's text. */
    String copyText(int i, String cell) {
        if (cell == null || !isBits(types.get(i))) {
            return cell;
        }
        int width = Integer.parseInt(types.get(i).replaceAll("\\D", ""));
        String bits = Long.toBinaryString(Long.parseLong(cell));
        return "0".repeat(Math.max(0, width - bits.length())) + bits;
    }

    private static boolean isBits(String type) {
        return type.startsWith("bit(") && !type.equals("bit(1)");
    }

    private static String text(JsonNode cell) {
        if (cell == null || cell.isNull()) {
            return null;
        }
        return cell.isTextual() ? cell.textValue() : cell.asText();
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
