package dev.sluice.bench;

import dev.sluice.embedded.MariaDbServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * Inserts rows into {@link #TABLE} at a fixed rate, open loop: transaction {@code t} is due at
 * {@code start + t × interval} whatever happened to the ones before it, so a slow commit delays the rows behind it
 * instead of thinning the load (a closed loop would wait, send less while the system is slow, and never record the
 * delay: coordinated omission). {@code threads} connections share the schedule round robin, so one slow commit
 * does not hold up the next due transaction either. Records, per transaction, the time it was due and the time its
 * commit returned, on this JVM's {@link System#nanoTime()} clock — the clock the consumer's arrivals are read on.
 */
final class OpenLoopLoad {
    static final String TABLE = "bench.latency";
    static final String DDL =
            "CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY, payload VARCHAR(100) NOT NULL)";

    private final Schedule schedule;
    private final long[] dueNs;
    private final long[] committedNs;

    /**
     * {@code transactions} transactions of {@code rowsPerTransaction} rows each, ids from {@code firstId} on, at
     * {@code eventsPerSecond} rows per second.
     */
    record Schedule(double eventsPerSecond, int rowsPerTransaction, long transactions, long firstId) {
        long intervalNanos() {
            return Math.round(rowsPerTransaction * 1e9 / eventsPerSecond);
        }

        long rows() {
            return transactions * rowsPerTransaction;
        }

        /** Index of the transaction that wrote row {@code id}, or -1 if the id is not one of this schedule's. */
        int transactionOf(long id) {
            long row = id - firstId;
            return row < 0 || row >= rows() ? -1 : (int) (row / rowsPerTransaction);
        }

        /**
         * A schedule that keeps the source's commit rate at most {@code maxTransactionsPerSecond}: one row per
         * transaction at low rates (a write per request, as in a load test), more rows per transaction above.
         */
        static Schedule of(double eventsPerSecond, double seconds, int maxTransactionsPerSecond, long firstId) {
            int rows = (int) Math.max(1, Math.ceil(eventsPerSecond / maxTransactionsPerSecond));
            long transactions = Math.max(1, Math.round(eventsPerSecond * seconds / rows));
            return new Schedule(eventsPerSecond, rows, transactions, firstId);
        }
    }

    OpenLoopLoad(Schedule schedule) {
        this.schedule = schedule;
        this.dueNs = new long[Math.toIntExact(schedule.transactions())];
        this.committedNs = new long[dueNs.length];
    }

    Schedule schedule() {
        return schedule;
    }

    /** When transaction {@code t} was due. */
    long dueNs(int t) {
        return dueNs[t];
    }

    /** When the commit of transaction {@code t} returned to the client. */
    long committedNs(int t) {
        return committedNs[t];
    }

    /** Runs the schedule from now on with {@code threads} connections; returns once every commit has returned. */
    void run(MariaDbServer server, int threads) throws SQLException, InterruptedException {
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "open-loop-writer");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < threads; i++) {
                connections.add(server.connect());
            }
            long startNs = System.nanoTime() + 50_000_000L; // every writer is parked before the first is due
            List<Future<Void>> writers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int lane = i;
                Connection c = connections.get(i);
                writers.add(pool.submit(() -> {
                    writeLane(c, lane, threads, startNs);
                    return null;
                }));
            }
            for (Future<Void> w : writers) {
                w.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException("Open-loop writer failed", cause);
        } finally {
            pool.shutdownNow();
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    /** The transactions {@code lane}, {@code lane + lanes}, ...: each at its due time, or at once if it is late. */
    private void writeLane(Connection c, int lane, int lanes, long startNs) throws SQLException {
        long interval = schedule.intervalNanos();
        try (Statement st = c.createStatement()) {
            for (int t = lane; t < dueNs.length; t += lanes) {
                long due = startNs + t * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                dueNs[t] = due;
                st.executeUpdate(insert(t));
                committedNs[t] = System.nanoTime();
            }
        }
    }

    /** One autocommitted multi-row INSERT: one source transaction. */
    private String insert(int t) {
        long first = schedule.firstId() + (long) t * schedule.rowsPerTransaction();
        StringBuilder sql = new StringBuilder(48 + schedule.rowsPerTransaction() * 48);
        sql.append("INSERT INTO ").append(TABLE).append(" (id, payload) VALUES ");
        for (long id = first; id < first + schedule.rowsPerTransaction(); id++) {
            // The narrow row of the backlogs: the server computes the same 92-character payload from the id.
            sql.append(id == first ? "(" : ",(")
                    .append(id)
                    .append(',')
                    .append(NarrowRows.payload(Long.toString(id)))
                    .append(')');
        }
        return sql.toString();
    }
}
