package dev.sluice.testkit;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * The check both sides compute: the number of rows and the sum of CRC32 of each row's text, its columns' values
 * joined by {@code ':'} with NULL as {@code \N}. The sum is order-independent (Kafka and the table need not agree on
 * order) and fits a long for billions of rows. SQL computes the same with
 * {@code SUM(CRC32(CONCAT_WS(':', IFNULL(c1, '\N'), ...)))}: a column's text is what the server prints for it
 * (DECIMAL with its scale, DATETIME(6) with six fraction digits), which is how docs/types.md writes it into JSON.
 *
 * <p>A check for tests and benchmarks (a whole table in one SUM, compared after the writes stop), so it lives in the
 * harness; verifying a live table is a different job (chunked, under concurrent writes).
 */
public record RowChecksum(long count, long sum) {
    /** How a NULL cell is written into the row's text, on both sides. */
    public static final String NULL = "\\N";

    /** The CRC32 of one row, exactly as {@code CRC32(CONCAT(id, ':', payload))} in MariaDB. */
    public static long of(long id, String payload) {
        return crc(id + ":" + payload);
    }

    /** The CRC32 of one row from its cells' text in column order; a null cell counts as {@link #NULL}. */
    public static long of(String[] cells) {
        StringBuilder text = new StringBuilder(256);
        for (int i = 0; i < cells.length; i++) {
            text.append(i > 0 ? ":" : "").append(cells[i] == null ? NULL : cells[i]);
        }
        return crc(text.toString());
    }

    private static long crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** The checksum of every row of {@code table} over {@code columns}, computed by the server. */
    public static RowChecksum ofTable(Connection c, String table, List<String> columns) throws SQLException {
        return ofSql(c, table, rowText(columns));
    }

    /**
     * The checksum over SQL expressions whose text is each column's as the envelope writes it (e.g. a BIT(8) as
     * {@code CAST(b AS UNSIGNED)}, a BIT(1) as {@code IF(b, 'true', 'false')}), computed by the server.
     */
    public static RowChecksum ofExpressions(Connection c, String table, List<String> sqlTexts) throws SQLException {
        return ofSql(
                c,
                table,
                sqlTexts.stream()
                        .map(text -> "IFNULL(" + text + ", '\\\\N')")
                        .collect(Collectors.joining(", ", "CONCAT_WS(':', ", ")")));
    }

    private static RowChecksum ofSql(Connection c, String table, String rowText) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT COUNT(*), COALESCE(SUM(CRC32(" + rowText + ")), 0) FROM " + table)) {
            rs.next();
            return new RowChecksum(rs.getLong(1), rs.getBigDecimal(2).longValueExact());
        }
    }

    /** {@code CONCAT_WS(':', IFNULL(`c1`, '\N'), ...)}. */
    public static String rowText(List<String> columns) {
        return columns.stream()
                .map(c -> "IFNULL(`" + c + "`, '\\\\N')")
                .collect(Collectors.joining(", ", "CONCAT_WS(':', ", ")"));
    }
}
