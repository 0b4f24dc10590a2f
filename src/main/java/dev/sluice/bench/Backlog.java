package dev.sluice.bench;

import dev.sluice.embedded.MariaDbServer;
import dev.sluice.position.MariaDbGtidSet.Gtid;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the benchmark's backlog into the source while no pipeline runs: {@code events} inserts of ~100-byte rows
 * into {@code bench.rows}, a share of them as 1-row transactions and the rest as 100-row transactions, interleaved
 * evenly so the binlog holds a steady mix rather than two phases. Ids are 1..events in commit order, so each
 * transaction's GTID sequence number tells how many row changes it and its predecessors hold.
 */
public final class Backlog {
    public static final String TABLE = "bench.rows";
    public static final int ROWS_PER_BIG_TRANSACTION = 100;
    /** 8 bytes of BIGINT + 92 ASCII characters = the 100-byte row of the issue (plus 3 bytes of row framing). */
    public static final int PAYLOAD_CHARS = 92;
    public static final String DDL = "CREATE TABLE " + TABLE
            + " (id BIGINT PRIMARY KEY, payload VARCHAR(100) NOT NULL)";
    private static final Logger log = LoggerFactory.getLogger(Backlog.class);
    private static final char[] ALPHABET =
            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_".toCharArray();

    private final long events;
    private final long singleRowTransactions;
    private final long bigTransactions;

    /** What was written and where it sits in the binlog. */
    public record Result(long events, long singleRowTransactions, long bigTransactions, String gtidBefore,
                         String gtidAfter, Gtid lastGtid, long firstSequence, long[] eventsUpTo, double seconds,
                         long binlogBytes) {
        /** Row changes in the backlog transactions up to and including sequence number {@code seq}. */
        public long eventsCoveredBy(long seq) {
            long index = seq - firstSequence;
            if (index < 0) {
                return 0;
            }
            return eventsUpTo[(int) Math.min(index, eventsUpTo.length - 1)];
        }

        public long transactions() {
            return singleRowTransactions + bigTransactions;
        }
    }

    public Backlog(long events, double singleRowShare) {
        this.events = events;
        this.singleRowTransactions = Math.round(events * singleRowShare);
        long inBig = events - singleRowTransactions;
        this.bigTransactions = (inBig + ROWS_PER_BIG_TRANSACTION - 1) / ROWS_PER_BIG_TRANSACTION;
    }

    public static void createSchema(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE bench");
            st.execute(DDL);
        }
    }

    /** Writes the backlog; the caller must be the only writer so the GTIDs are consecutive. */
    public Result write(MariaDbServer server) throws SQLException {
        try (Connection c = server.connect()) {
            String before = gtidBinlogPos(c);
            long started = System.nanoTime();
            relaxDurability(c, true);
            long[] eventsUpTo;
            try {
                eventsUpTo = writeTransactions(c);
            } finally {
                relaxDurability(c, false);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String after = gtidBinlogPos(c);
            Result result = new Result(events, singleRowTransactions, bigTransactions, before, after,
                    lastGtid(after), lastGtid(before).sequence() + 1, eventsUpTo, seconds, binlogBytes(c));
            requireConsecutive(result);
            log.info("Backlog written in {} s: {} row changes in {} transactions, GTID {} -> {}",
                    String.format("%.1f", seconds), events, result.transactions(), before, after);
            return result;
        }
    }

    /** Autocommitted statements, one transaction each; returns the last id written by each transaction. */
    private long[] writeTransactions(Connection c) throws SQLException {
        long[] eventsUpTo = new long[Math.toIntExact(singleRowTransactions + bigTransactions)];
        long nextId = 1;
        long singles = 0;
        try (PreparedStatement single = c.prepareStatement("INSERT INTO " + TABLE + " (id, payload) VALUES (?, ?)");
             Statement big = c.createStatement()) {
            c.setAutoCommit(true);
            for (int tx = 0; tx < eventsUpTo.length; tx++) {
                if (singleNext(singles, tx - singles)) {
                    single.setLong(1, nextId);
                    single.setString(2, payload(nextId));
                    single.executeUpdate();
                    nextId++;
                    singles++;
                } else {
                    int rows = rowsOfNextBigTransaction(nextId, singles);
                    big.executeUpdate(multiRowInsert(nextId, rows));
                    nextId += rows;
                }
                eventsUpTo[tx] = nextId - 1;
            }
        }
        return eventsUpTo;
    }

    /** 100, or what is left for big transactions once the remaining 1-row transactions are set aside. */
    private int rowsOfNextBigTransaction(long nextId, long singlesDone) {
        long leftForBig = events - (nextId - 1) - (singleRowTransactions - singlesDone);
        return (int) Math.min(ROWS_PER_BIG_TRANSACTION, leftForBig);
    }

    /** Bresenham-style interleaving: take the kind that is furthest behind its share of transactions. */
    private boolean singleNext(long singles, long bigs) {
        if (singles >= singleRowTransactions) {
            return false;
        }
        if (bigs >= bigTransactions) {
            return true;
        }
        return singles * (double) bigTransactions <= bigs * (double) singleRowTransactions;
    }

    /** One autocommitted statement: a single transaction of {@code rows} rows (one binlog rows event per ~8 KB). */
    private static String multiRowInsert(long firstId, int rows) {
        StringBuilder sql = new StringBuilder(64 + rows * (PAYLOAD_CHARS + 30));
        sql.append("INSERT INTO ").append(TABLE).append(" (id, payload) VALUES ");
        for (long id = firstId; id < firstId + rows; id++) {
            sql.append(id == firstId ? "(" : ",(").append(id).append(",'").append(payload(id)).append("')");
        }
        return sql.toString();
    }

    /** A deterministic pseudo-random ASCII payload (SplitMix64 of the id), so the checksum covers real content. */
    public static String payload(long id) {
        char[] out = new char[PAYLOAD_CHARS];
        long state = id * 0x9E3779B97F4A7C15L;
        long bits = 0;
        for (int i = 0; i < out.length; i++) {
            if (i % 10 == 0) {
                state += 0x9E3779B97F4A7C15L;
                bits = mix(state);
            }
            out[i] = ALPHABET[(int) (bits & 63)];
            bits >>>= 6;
        }
        return new String(out);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Durability of the source does not matter while loading a backlog we only read back, and flushing per 1-row
     * transaction would make generation, not the pipeline, dominate the run; the binlog content is the same.
     * Measured here: a 1-row commit costs ~600 us at the defaults, ~380 us with flush-at-commit 2, ~140 us with 0.
     */
    private static void relaxDurability(Connection c, boolean relaxed) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET GLOBAL sync_binlog = " + (relaxed ? 0 : 1));
            st.execute("SET GLOBAL innodb_flush_log_at_trx_commit = " + (relaxed ? 0 : 1));
        }
    }

    private static String gtidBinlogPos(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long binlogBytes(Connection c) throws SQLException {
        long total = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                total += rs.getLong(2);
            }
        }
        return total;
    }

    /** The one GTID of a single-domain position such as {@code 0-1-1234}. */
    private static Gtid lastGtid(String gtidBinlogPos) {
        if (gtidBinlogPos == null || gtidBinlogPos.isBlank() || gtidBinlogPos.contains(",")) {
            throw new IllegalStateException("Expected one GTID domain on the bench server, found '" + gtidBinlogPos
                    + "'");
        }
        return Gtid.parse(gtidBinlogPos);
    }

    private static void requireConsecutive(Result r) {
        long written = r.lastGtid().sequence() - r.firstSequence() + 1;
        if (written != r.transactions()) {
            throw new IllegalStateException("Expected " + r.transactions() + " consecutive GTIDs from sequence "
                    + r.firstSequence() + " but the binlog advanced to " + r.gtidAfter()
                    + ": another client wrote to the bench server");
        }
    }
}
