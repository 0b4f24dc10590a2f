package dev.sluice.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.zip.CRC32;

/**
 * The check both sides compute: the number of rows and the sum of CRC32({@code id:payload}) over all rows. The sum
 * is order-independent (Kafka and the table need not agree on order) and fits a long for billions of rows. SQL
 * computes the same with {@code SUM(CRC32(CONCAT(id, ':', payload)))}.
 */
public record RowChecksum(long count, long sum) {

    /** The CRC32 of one row, exactly as {@code CRC32(CONCAT(id, ':', payload))} in MariaDB (payload is ASCII). */
    public static long of(long id, String payload) {
        CRC32 crc = new CRC32();
        crc.update((id + ":" + payload).getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** The same checksum, computed by the server over the source table. */
    public static RowChecksum ofTable(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT(id, ':', payload))), 0) FROM "
                     + table)) {
            rs.next();
            return new RowChecksum(rs.getLong(1), rs.getBigDecimal(2).longValueExact());
        }
    }
}
