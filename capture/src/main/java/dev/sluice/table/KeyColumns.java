package dev.sluice.table;

import dev.sluice.schema.Column;
import dev.sluice.schema.TableSchema;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The primary key as SQL for keyset pagination: {@code ORDER BY} in key order, and range conditions written out as
 * {@code a > ? OR (a = ? AND b > ?)} rather than a row constructor, which not every server version turns into an
 * index range. Key values travel as BigDecimal (every integer and DECIMAL, exact up to BIGINT UNSIGNED max), String
 * (text, temporal and MariaDB's UUID/INET types, compared by the server under the column's own collation or type,
 * exactly as ORDER BY sorts them), or byte[] (binary strings).
 *
 * <p>Only a key whose every column can be paged by exists ({@link #of}); a table without one is read whole.
 * Immutable: one instance may be shared by every thread reading the table.
 */
public final class KeyColumns {
    private final List<Column> columns;
    private final List<String> quoted;

    private KeyColumns(List<Column> columns) {
        this.columns = columns;
        this.quoted = columns.stream().map(c -> quote(c.name())).toList();
    }

    /** The key of {@code schema} when every column of it can be paged by; empty otherwise (the table is read whole). */
    public static java.util.Optional<KeyColumns> of(TableSchema schema) {
        if (!schema.hasPrimaryKey()) {
            return java.util.Optional.empty();
        }
        List<Column> key = new ArrayList<>();
        for (int index : schema.primaryKey()) {
            Column c = schema.columns().get(index);
            if (valueType(c) == null) {
                return java.util.Optional.empty();
            }
            key.add(c);
        }
        return java.util.Optional.of(new KeyColumns(List.copyOf(key)));
    }

    /** The key's columns, in key order. */
    public List<Column> columns() {
        return columns;
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    String list() {
        return String.join(", ", quoted);
    }

    /** Rows strictly after {@code key} in key order. */
    String after() {
        return range(">", ">");
    }

    /** Rows at or before {@code key} in key order. */
    String atMost() {
        return range("<", "<=");
    }

    private String range(String inner, String last) {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < quoted.size(); i++) {
            StringBuilder term = new StringBuilder("(");
            for (int j = 0; j < i; j++) {
                term.append(quoted.get(j)).append(" = ? AND ");
            }
            term.append(quoted.get(i))
                    .append(i == quoted.size() - 1 ? " " + last + " ?" : " " + inner + " ?")
                    .append(')');
            terms.add(term.toString());
        }
        return "(" + String.join(" OR ", terms) + ")";
    }

    /** Binds {@code key} for {@link #after()} or {@link #atMost()} from parameter {@code first}; returns the next. */
    int bind(PreparedStatement st, int first, List<Object> key) throws SQLException {
        int p = first;
        for (int i = 0; i < key.size(); i++) {
            for (int j = 0; j <= i; j++) {
                Object v = key.get(j);
                if (v instanceof BigDecimal d) {
                    st.setBigDecimal(p++, d);
                } else if (v instanceof String s) {
                    st.setString(p++, s);
                } else {
                    st.setBytes(p++, (byte[]) v);
                }
            }
        }
        return p;
    }

    /** The key of the current row, from the key columns selected starting at {@code firstColumn}. */
    List<Object> read(ResultSet rs, int firstColumn) throws SQLException {
        List<Object> key = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            int col = firstColumn + i;
            key.add(
                    switch (valueType(columns.get(i))) {
                        case NUMBER -> rs.getBigDecimal(col);
                        case TEXT -> rs.getString(col);
                        case BYTES -> rs.getBytes(col);
                    });
        }
        return key;
    }

    private enum ValueType {
        NUMBER,
        TEXT,
        BYTES
    }

    private static ValueType valueType(Column c) {
        return switch (c.kind()) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT, DECIMAL, YEAR -> ValueType.NUMBER;
            case DATE, TIME, DATETIME, TIMESTAMP, UUID, INET6, INET4 -> ValueType.TEXT;
            case CHAR, VARCHAR, BLOB -> c.isBinary() ? ValueType.BYTES : ValueType.TEXT;
            default -> null; // FLOAT, DOUBLE, BIT, ENUM, SET, JSON, GEOMETRY, VECTOR: not paged by
        };
    }
}
