package dev.sluice.source;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How long the source keeps its binlog files, and which ones it has now. Read with statements the least-privileged
 * CDC user may run: {@code SHOW GLOBAL VARIABLES} (no privilege) and {@code SHOW BINARY LOGS} (BINLOG MONITOR on
 * MariaDB, REPLICATION CLIENT on MySQL). Neither gives a file's time; that comes from the stream (see
 * {@code PipelineStats.PositionFile}).
 *
 * @param files               binlog files, oldest first; the last one is being written and is never purged by age
 * @param expireSeconds       a closed file is purged at the first rotation (or FLUSH BINARY LOGS, or restart) after
 *                            its modification time is this old; 0 means never purged by age
 * @param serverClockAheadMs  the server's clock minus the local clock, because binlog timestamps are server time
 * @param totalSizeLimitBytes MariaDB 11.4+ {@code max_binlog_total_size}: files are also purged when the binlogs
 *                            together exceed it (0: no limit). Not modelled by the estimate, only reported.
 */
public record BinlogRetention(
        List<String> files, long expireSeconds, long serverClockAheadMs, long totalSizeLimitBytes) {

    public BinlogRetention {
        files = List.copyOf(files);
    }

    public static BinlogRetention read(Connection c, LongSupplier clock) throws SQLException {
        Map<String, String> vars = variables(c);
        long before = clock.getAsLong();
        BigDecimal serverNow = new BigDecimal(scalar(c, "SELECT UNIX_TIMESTAMP(NOW(3))"));
        long localMid = (before + clock.getAsLong()) / 2;
        long ahead = serverNow.movePointRight(3).longValue() - localMid;
        return new BinlogRetention(
                binaryLogs(c), expireSeconds(vars), ahead, parseLong(vars.get("max_binlog_total_size")));
    }

    /**
     * MariaDB 10.6+ keeps {@code binlog_expire_logs_seconds} and {@code expire_logs_days} as two views of one
     * setting; older MariaDB has only the days (a fraction allowed). MySQL 8 uses the seconds when they are
     * non-zero, else the days, and {@code binlog_expire_logs_auto_purge=OFF} (8.0.29+) turns automatic purging off.
     */
    static long expireSeconds(Map<String, String> vars) {
        if ("OFF".equalsIgnoreCase(vars.get("binlog_expire_logs_auto_purge"))) {
            return 0;
        }
        long seconds = parseLong(vars.get("binlog_expire_logs_seconds"));
        if (seconds > 0) {
            return seconds;
        }
        String days = vars.get("expire_logs_days");
        return days == null ? 0 : Math.round(Double.parseDouble(days) * 86_400);
    }

    /** True while the source purges nothing by age. */
    public boolean neverExpires() {
        return expireSeconds == 0;
    }

    private static Map<String, String> variables(Connection c) throws SQLException {
        Map<String, String> vars = new HashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES WHERE "
                        + "Variable_name IN ('binlog_expire_logs_seconds','expire_logs_days','binlog_expire_logs_auto_purge',"
                        + "'max_binlog_total_size')")) {
            while (rs.next()) {
                vars.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
        return vars;
    }

    private static List<String> binaryLogs(Connection c) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        return files;
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long parseLong(String value) {
        return value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
    }
}
