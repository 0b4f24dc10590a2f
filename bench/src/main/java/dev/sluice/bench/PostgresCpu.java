package dev.sluice.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * PostgreSQL's CPU for one load, from {@code /proc}: the backends connected to the load's database (each started for
 * it, so all their CPU counts) plus what the shared writers (WAL writer, checkpointer, background writer) spent
 * meanwhile. The harness's own connection is left out. The machine's PostgreSQL is shared with other users, whose
 * writes the shared writers also serve: on a busy machine that part is an upper bound.
 */
final class PostgresCpu {
    private static final String SHARED = "('walwriter', 'checkpointer', 'background writer')";

    private final Map<Long, Double> shared;

    private PostgresCpu(Map<Long, Double> shared) {
        this.shared = shared;
    }

    /** Before the load: the shared writers' CPU so far. */
    static PostgresCpu before(Connection c) throws SQLException {
        return new PostgresCpu(cpuOf(c, "backend_type IN " + SHARED, null));
    }

    /** After the load, with its connections still open: backends of {@code database} + the shared writers' since. */
    double since(Connection c, String database) throws SQLException {
        double backends = cpuOf(c, "datname = ? AND pid <> pg_backend_pid()", database).values().stream()
                .mapToDouble(Double::doubleValue)
                .sum();
        double writers = 0;
        for (Map.Entry<Long, Double> e :
                cpuOf(c, "backend_type IN " + SHARED, null).entrySet()) {
            writers += e.getValue() - shared.getOrDefault(e.getKey(), 0.0);
        }
        return backends + writers;
    }

    private static Map<Long, Double> cpuOf(Connection c, String where, String database) throws SQLException {
        Map<Long, Double> cpu = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE " + where)) {
            if (database != null) {
                ps.setString(1, database);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long pid = rs.getLong(1);
                    try {
                        cpu.put(pid, ProcessStats.cpuSeconds(pid));
                    } catch (RuntimeException gone) {
                        // a backend that ended between the query and the read
                    }
                }
            }
        }
        return cpu;
    }
}
