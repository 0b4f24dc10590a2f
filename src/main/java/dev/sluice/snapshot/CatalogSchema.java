package dev.sluice.snapshot;
// TEMP STUB
import dev.sluice.schema.*;
import java.sql.*;
import java.util.*;
public final class CatalogSchema {
    public static Optional<TableSchema> read(Connection c, String db, String table, CharsetMap charsets) throws SQLException {
        List<Column> cols = new ArrayList<>();
        List<Integer> pk = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_KEY FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? ORDER BY ORDINAL_POSITION")) {
            st.setString(1, db); st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String t = rs.getString(2);
                    ColumnKind k = t.equals("bigint") ? ColumnKind.BIGINT : t.equals("int") ? ColumnKind.INT : ColumnKind.VARCHAR;
                    if ("PRI".equals(rs.getString(3))) pk.add(cols.size());
                    cols.add(new Column(rs.getString(1), k, 0, false, k == ColumnKind.VARCHAR ? java.nio.charset.StandardCharsets.UTF_8 : null, List.of()));
                }
            }
        }
        if (cols.isEmpty()) return Optional.empty();
        return Optional.of(new TableSchema(-1, db, table, List.copyOf(cols), pk.stream().mapToInt(i -> i).toArray()));
    }
}
