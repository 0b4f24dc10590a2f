package dev.sluice.snapshot;

import dev.sluice.embedded.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes to a table {@code (id BIGINT PRIMARY KEY, v INT, payload VARCHAR)} while it is being copied: updates
 * ({@code v+1}), deletes, inserts of new keys and primary-key changes (the row moves to a new key with {@code v+1}).
 * Keys are never reused, so every key's {@code v} only grows: a topic that shows a key's {@code v} going down went
 * backwards. Records the slowest statement, the writer-side view of how long the copy ever blocked it.
 */
public final class TableWriter implements Runnable {
    private final MariaDbServer server;
    private final String table;
    private final Random random;
    private final List<Long> live = new ArrayList<>();
    private long nextId;
    private volatile boolean stopped;
    private volatile Exception failure;
    private volatile long statements;
    private volatile long slowestNanos;
    private final org.HdrHistogram.Recorder latency = new org.HdrHistogram.Recorder(3);

    public TableWriter(MariaDbServer server, String table, long rows, long seed) {
        this.server = server;
        this.table = table;
        this.random = new Random(seed);
        for (long id = 1; id <= rows; id++) {
            live.add(id);
        }
        this.nextId = rows + 1;
    }

    /** Creates {@code table} with {@code rows} rows {@code (id, 1, 'row <id>')}, server-side. */
    public static void createAndFill(Connection c, String table, long rows) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("USE " + table.substring(0, table.indexOf('.'))); // the sequence engine's seq_ tables need one
            st.execute(
                    "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v INT NOT NULL, payload VARCHAR(64) NOT NULL)");
            for (long from = 1; from <= rows; from += 100_000) {
                long to = Math.min(rows, from + 99_999);
                st.execute(
                        "INSERT INTO " + table + " SELECT seq, 1, CONCAT('row ', seq) FROM seq_" + from + "_to_" + to);
            }
        }
    }

    @Override
    public void run() {
        try (Connection c = server.connect();
                PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET v = v + 1 WHERE id = ?");
                PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?");
                PreparedStatement insert =
                        c.prepareStatement("INSERT INTO " + table + " (id, v, payload) VALUES (?, 1, ?)");
                PreparedStatement move =
                        c.prepareStatement("UPDATE " + table + " SET id = ?, v = v + 1 WHERE id = ?")) {
            while (!stopped) {
                long started = System.nanoTime();
                int dice = random.nextInt(10);
                if (dice < 5 && !live.isEmpty()) {
                    update.setLong(1, pick());
                    update.executeUpdate();
                } else if (dice < 7 && !live.isEmpty()) {
                    long id = live.remove(random.nextInt(live.size()));
                    delete.setLong(1, id);
                    delete.executeUpdate();
                } else if (dice < 9) {
                    long id = nextId++;
                    insert.setLong(1, id);
                    insert.setString(2, "new " + id);
                    insert.executeUpdate();
                    live.add(id);
                } else if (!live.isEmpty()) {
                    int index = random.nextInt(live.size());
                    long to = nextId++;
                    move.setLong(1, to);
                    move.setLong(2, live.get(index));
                    move.executeUpdate();
                    live.set(index, to);
                }
                long took = System.nanoTime() - started;
                slowestNanos = Math.max(slowestNanos, took);
                latency.recordValue(took);
                statements++;
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    private long pick() {
        return live.get(random.nextInt(live.size()));
    }

    public void stop() {
        stopped = true;
    }

    public Exception failure() {
        return failure;
    }

    public long statements() {
        return statements;
    }

    /** Statement latencies (ns) since the last call: one phase of the run. */
    public org.HdrHistogram.Histogram latencySinceLastCall() {
        return latency.getIntervalHistogram();
    }

    public long slowestMillis() {
        return slowestNanos / 1_000_000;
    }
}
