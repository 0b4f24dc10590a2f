package dev.sluice.bench.parquet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * An ordered checksum of rows: SHA-256 over each row's values in a canonical binary form, rows in id order. Computed
 * once from {@link WideRows} and once from what DuckDB's {@code read_parquet} returns, so a file passes only if every
 * value of every row came back, in its type (decimal unscaled at scale 4, timestamp in microseconds, double bits).
 */
final class RowDigest {
    private final MessageDigest sha = sha256();
    private final ByteBuffer fixed = ByteBuffer.allocate(8 * 5 + 1);
    private long rows;

    void add(long id, long amountUnscaled, byte[] name, long tsMicros, double ratio, boolean flag, byte[] payload) {
        fixed.clear();
        fixed.putLong(id).putLong(amountUnscaled).putLong(tsMicros).putLong(Double.doubleToLongBits(ratio));
        fixed.put((byte) (flag ? 1 : 0)).putLong(((long) name.length << 32) | payload.length);
        sha.update(fixed.array(), 0, fixed.position());
        sha.update(name);
        sha.update(payload);
        rows++;
    }

    String hex() {
        return rows + " rows, sha256 " + HexFormat.of().formatHex(sha.digest());
    }

    static String ofSource(long rowCount) {
        RowDigest d = new RowDigest();
        for (long i = 0; i < rowCount; i++) {
            d.add(
                    WideRows.id(i),
                    WideRows.amountUnscaled(i),
                    WideRows.nameBytes(i),
                    WideRows.tsMicros(i),
                    WideRows.ratio(i),
                    WideRows.flag(i),
                    WideRows.payload(i));
        }
        return d.hex();
    }

    /** Reads the file with DuckDB's own Parquet reader, whichever program wrote it. */
    static String ofParquetFile(Connection duckdb, String file) throws SQLException {
        RowDigest d = new RowDigest();
        String sql = "SELECT id, CAST(amount * 10000 AS BIGINT), name, epoch_us(ts), ratio, flag, payload"
                + " FROM read_parquet('" + file.replace("'", "''") + "') ORDER BY id";
        try (Statement st = duckdb.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                d.add(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3).getBytes(StandardCharsets.UTF_8),
                        rs.getLong(4),
                        rs.getDouble(5),
                        rs.getBoolean(6),
                        rs.getBytes(7));
            }
        }
        return d.hex();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
