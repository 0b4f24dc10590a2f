package dev.sluice.bench;

import dev.sluice.embedded.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor of any JDBC copier: {@code SELECT} every column of the table in {@code parallelism} equal primary-key
 * ranges, one connection and one streaming result set each (the MariaDB driver streams with a fetch size set), and
 * read every cell with the getter an exact copier needs: integers as longs, DECIMAL as BigDecimal, temporal and text
 * columns as strings (the server's exact text). Nothing is encoded or sent anywhere. Runs in the harness JVM; its CPU
 * is the harness process's over the scan. Bytes are what the server sent ({@code Bytes_sent} of each session).
 */
final class RawScan {
    private static final int FETCH_SIZE = 1000;

    private RawScan() {}

    /**
     * One scan: rows read, time, protocol bytes, and the CPU of this JVM and of the server. {@code cellDigest} sums
     * the cells' values and lengths: meaningless, but it makes every read count.
     */
    record Run(
            int parallelism,
            long rows,
            double seconds,
            long bytesSent,
            long cellDigest,
            double cpuSeconds,
            double mariadbCpuSeconds,
            double machineCpuSeconds,
            String query) {
        /** CPU the rest of the (shared) machine used meanwhile. */
        double othersCpuSeconds() {
            return machineCpuSeconds - cpuSeconds - mariadbCpuSeconds;
        }
    }

    /** Scans ids 1..maxId of {@code table} (dense ids, as the bench tables have) in {@code parallelism} ranges. */
    static Run run(MariaDbServer server, String table, List<String> columns, long maxId, int parallelism)
            throws InterruptedException {
        String query = "SELECT " + String.join(", ", columns) + " FROM " + table + " WHERE " + columns.get(0)
                + " BETWEEN ? AND ?";
        ProcessStats.Sample harness =
                ProcessStats.sample(ProcessHandle.current().pid());
        ProcessStats.Sample mariadb = ProcessStats.sample(server.pid());
        double machine = ProcessStats.machineBusySeconds();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> new Thread(r, "raw-scan"));
        long started = System.nanoTime();
        try {
            List<Future<long[]>> ranges = new ArrayList<>();
            for (int i = 0; i < parallelism; i++) {
                long from = 1 + maxId * i / parallelism;
                long to = maxId * (i + 1) / parallelism;
                ranges.add(pool.submit(() -> scan(server, query, from, to)));
            }
            long rows = 0;
            long bytes = 0;
            long digest = 0;
            for (Future<long[]> f : ranges) {
                long[] range = f.get();
                rows += range[0];
                bytes += range[1];
                digest += range[2];
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Run(
                    parallelism,
                    rows,
                    seconds,
                    bytes,
                    digest,
                    ProcessStats.sample(ProcessHandle.current().pid()).cpuSince(harness),
                    ProcessStats.sample(server.pid()).cpuSince(mariadb),
                    ProcessStats.machineBusySeconds() - machine,
                    query);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The raw SELECT scan failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One range on its own connection; returns {rows, bytes the server sent for it, a digest of the cells}. */
    private static long[] scan(MariaDbServer server, String query, long from, long to) throws SQLException {
        try (Connection c = server.connect();
                PreparedStatement ps = c.prepareStatement(query)) {
            long bytesBefore = bytesSent(c);
            ps.setFetchSize(FETCH_SIZE);
            ps.setLong(1, from);
            ps.setLong(2, to);
            long rows = 0;
            long sink = 0;
            try (ResultSet rs = ps.executeQuery()) {
                int[] kinds = kinds(rs.getMetaData());
                while (rs.next()) {
                    sink += readRow(rs, kinds);
                    rows++;
                }
            }
            // The digest goes back to the caller, so no read can be optimized away.
            return new long[] {rows, bytesSent(c) - bytesBefore, sink};
        }
    }

    private static final int LONG = 0;
    private static final int DECIMAL = 1;
    private static final int STRING = 2;

    private static int[] kinds(ResultSetMetaData meta) throws SQLException {
        int[] kinds = new int[meta.getColumnCount()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = switch (meta.getColumnType(i + 1)) {
                case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT, Types.BIT, Types.BOOLEAN -> LONG;
                case Types.DECIMAL, Types.NUMERIC -> DECIMAL;
                default -> STRING;
            };
        }
        return kinds;
    }

    /** Reads every cell; returns a cheap digest of them so the reads have an effect. */
    private static long readRow(ResultSet rs, int[] kinds) throws SQLException {
        long digest = 0;
        for (int i = 0; i < kinds.length; i++) {
            switch (kinds[i]) {
                case LONG -> digest += rs.getLong(i + 1);
                case DECIMAL -> {
                    java.math.BigDecimal d = rs.getBigDecimal(i + 1);
                    digest += d == null ? 0 : d.scale();
                }
                default -> {
                    String s = rs.getString(i + 1);
                    digest += s == null ? 0 : s.length();
                }
            }
        }
        return digest;
    }

    /** The session's {@code Bytes_sent}: what the server has sent on this connection so far. */
    private static long bytesSent(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Bytes_sent'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
