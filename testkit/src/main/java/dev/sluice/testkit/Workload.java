package dev.sluice.testkit;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;

import dev.sluice.embedded.MariaDbServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seeded workload of RELIABILITY.md: tables {@code w1..wN} with a primary key and a version column {@code v}
 * that every UPDATE increments; transactions of 1–50 changes (insert, update, delete) over 1–3 tables; each
 * commit's GTID recorded from {@code @@last_gtid} with its number of row events. Ids are never reused, so per key
 * {@code v} only grows. The same seed writes the same transactions.
 *
 * <p>A commit whose acknowledgement is lost (the connection dies inside COMMIT) is <em>indeterminate</em>: it may or
 * may not be in the binlog. The workload stops at the first one and counts it; the checker accepts such a
 * transaction either complete or absent, never partial.
 */
public final class Workload implements Runnable {
    public static final int TABLES = 3;
    public static final String FENCE = "fence";

    private volatile MariaDbServer server;
    private final String db;
    private final Random random;
    private final Map<String, Integer> committed = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<List<Long>> live = new ArrayList<>();
    private final AtomicLong fences = new AtomicLong();
    private long nextId;
    private volatile boolean stopped;
    private volatile long pauseMs;
    private volatile int indeterminate;
    private volatile Exception failure;

    public Workload(MariaDbServer server, String db, long seed) {
        this.server = server;
        this.db = db;
        this.random = new Random(seed);
        for (int t = 0; t < TABLES; t++) {
            live.add(new ArrayList<>());
        }
    }

    /** Creates the database, the tables {@code w1..w3} and the {@code fence} table (same shape). */
    public void createTables() throws SQLException {
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE IF NOT EXISTS " + db);
            for (String table : tables()) {
                exec(
                        c,
                        "CREATE TABLE " + db + "." + table
                                + " (id BIGINT PRIMARY KEY, v INT NOT NULL, payload VARCHAR(64) NOT NULL)");
            }
        }
    }

    /** Every table the workload writes, the fence table last. */
    public static List<String> tables() {
        List<String> names = new ArrayList<>();
        for (int t = 1; t <= TABLES; t++) {
            names.add("w" + t);
        }
        names.add(FENCE);
        return names;
    }

    /**
     * Commits one row to the fence table and returns its GTID (also recorded as committed): when it reaches Kafka,
     * everything committed before it has too (I7 liveness, and the marker tests wait on instead of sleeping).
     */
    public String fence() throws SQLException {
        try (Connection c = server.connect()) {
            long id = fences.incrementAndGet();
            exec(c, "INSERT INTO " + db + "." + FENCE + " VALUES (" + id + ", 0, 'fence')");
            String gtid = scalar(c, "SELECT @@last_gtid");
            committed.put(gtid, 1);
            return gtid;
        }
    }

    /** Pauses between transactions in {@link #run()}, for long runs whose output must fit in a test's memory. */
    public Workload throttled(long pauseBetweenTransactionsMs) {
        this.pauseMs = pauseBetweenTransactionsMs;
        return this;
    }

    /** Writes transactions until {@link #stop()} or the first failure. */
    @Override
    public void run() {
        try (Connection c = server.connect()) {
            while (!stopped) {
                commitOne(c);
                if (pauseMs > 0) {
                    Thread.sleep(pauseMs); // the load's shape, not a wait for a result
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /** Writes {@code count} transactions on one connection. */
    public void runTransactions(int count) throws SQLException {
        try (Connection c = server.connect()) {
            for (int i = 0; i < count; i++) {
                commitOne(c);
            }
        }
    }

    public void stop() {
        stopped = true;
    }

    /** Committed GTID → its number of row events, in commit order. */
    public Map<String, Integer> committed() {
        synchronized (committed) {
            return new LinkedHashMap<>(committed);
        }
    }

    public int indeterminate() {
        return indeterminate;
    }

    /** The exception that ended {@link #run()}, if any (after a source kill this is expected). */
    public Exception failure() {
        return failure;
    }

    /** After a failover: later transactions go to {@code promoted}, which must already have every row. */
    public void moveTo(MariaDbServer promoted) {
        server = promoted;
    }

    public String database() {
        return db;
    }

    private void commitOne(Connection c) throws SQLException {
        List<List<Long>> after = copyOfLive();
        List<String> statements = plan(after);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                if (st.executeUpdate(sql) != 1) {
                    throw new IllegalStateException("workload statement changed no row: " + sql);
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            c.setAutoCommit(true);
            throw e;
        }
        try {
            c.commit();
        } catch (SQLException e) {
            indeterminate++;
            throw e;
        }
        c.setAutoCommit(true);
        committed.put(scalar(c, "SELECT @@last_gtid"), statements.size());
        live.clear();
        live.addAll(after);
    }

    /** One transaction's statements; applies their effect to {@code tables} (the state if it commits). */
    private List<String> plan(List<List<Long>> tables) {
        int changes = 1 + random.nextInt(50);
        int tableCount = 1 + random.nextInt(TABLES);
        List<String> statements = new ArrayList<>(changes);
        for (int i = 0; i < changes; i++) {
            int t = random.nextInt(tableCount);
            List<Long> ids = tables.get(t);
            String table = db + ".w" + (t + 1);
            int dice = random.nextInt(100);
            if (ids.isEmpty() || dice < 50) {
                long id = ++nextId;
                ids.add(id);
                statements.add("INSERT INTO " + table + " VALUES (" + id + ", 0, '" + payload() + "')");
            } else if (dice < 85) {
                long id = ids.get(random.nextInt(ids.size()));
                statements.add("UPDATE " + table + " SET v = v + 1, payload = '" + payload() + "' WHERE id = " + id);
            } else {
                long id = ids.remove(random.nextInt(ids.size()));
                statements.add("DELETE FROM " + table + " WHERE id = " + id);
            }
        }
        return statements;
    }

    private String payload() {
        return Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    private List<List<Long>> copyOfLive() {
        List<List<Long>> copy = new ArrayList<>();
        for (List<Long> ids : live) {
            copy.add(new ArrayList<>(ids));
        }
        return copy;
    }
}
