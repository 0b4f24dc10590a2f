package dev.sluice.bench;

import dev.sluice.embedded.MariaDbServer;
import dev.sluice.event.Op;
import dev.sluice.position.MariaDbGtidSet.Gtid;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a workload's backlog into the source while no pipeline runs, and keeps its ledger: how many row changes of
 * each operation every table received, and how many the transactions up to each GTID hold. The generator hands over
 * transactions as SQL with the rows each statement must change; they run in JDBC batches (pipelined: one round trip
 * per batch, not per transaction) and every statement's affected-row count is checked against what it declared, so
 * the ledger is what the server did, not what the generator meant. The caller must be the only writer, so the
 * transactions get consecutive GTIDs (checked at the end).
 */
public final class Backlog {
    private static final Logger log = LoggerFactory.getLogger(Backlog.class);
    /** Statements per JDBC batch: enough to hide the round trip, few enough to log progress. */
    private static final int BATCH_STATEMENTS = 2_000;

    private Backlog() {}

    /**
     * One statement of a backlog transaction and the row changes it must make: {@code rows} rows of {@code op} in
     * the generator's table number {@code table}. A DDL statement has no op and changes no rows.
     */
    public record Change(String sql, Op op, int table, long rows) {
        public static Change insert(int table, long rows, String sql) {
            return new Change(sql, Op.CREATE, table, rows);
        }

        public static Change update(int table, long rows, String sql) {
            return new Change(sql, Op.UPDATE, table, rows);
        }

        public static Change delete(int table, long rows, String sql) {
            return new Change(sql, Op.DELETE, table, rows);
        }

        public static Change ddl(String sql) {
            return new Change(sql, null, -1, 0);
        }
    }

    /** One source transaction: a single autocommitted statement, or several between START TRANSACTION and COMMIT. */
    public record Transaction(List<Change> changes) {
        public Transaction {
            changes = List.copyOf(changes);
        }

        public static Transaction of(Change... changes) {
            return new Transaction(List.of(changes));
        }

        public long rowChanges() {
            return changes.stream().mapToLong(Change::rows).sum();
        }
    }

    /** Where a generator hands its transactions, in commit order. */
    public interface Sink {
        void add(Transaction transaction) throws SQLException;
    }

    /** A workload's writer: its tables and the transactions it writes into them. */
    public interface Generator {
        /** The transaction shape in a few words, for reports. */
        String shape();

        /** The tables it writes, as the checks see them after the backlog; {@link Change#table} indexes this list. */
        List<BacklogTable> tables();

        /** Hands every transaction of the backlog to {@code sink}, in commit order. */
        void write(Sink sink) throws SQLException;
    }

    /** The largest source transaction of a backlog: its GTID and its row changes. */
    public record Largest(String gtid, long rowChanges) {}

    /**
     * What was written and where it sits in the binlog. {@code written} holds the row changes per table (in the
     * order of {@code tables}); {@code eventsUpTo[i]} the row changes of transactions 0..i.
     */
    public record Result(
            String shape,
            List<BacklogTable> tables,
            List<OpCounts> written,
            String gtidBefore,
            String gtidAfter,
            Gtid lastGtid,
            long firstSequence,
            long[] eventsUpTo,
            Largest largest,
            double seconds,
            long binlogBytes) {
        /** Row changes in the backlog transactions up to and including sequence number {@code seq}. */
        public long eventsCoveredBy(long seq) {
            long index = seq - firstSequence;
            if (index < 0 || eventsUpTo.length == 0) {
                return 0;
            }
            return eventsUpTo[(int) Math.min(index, eventsUpTo.length - 1)];
        }

        public long events() {
            return eventsUpTo.length == 0 ? 0 : eventsUpTo[eventsUpTo.length - 1];
        }

        public long transactions() {
            return eventsUpTo.length;
        }

        public OpCounts writtenTotal() {
            return written.stream().reduce(OpCounts.NONE, OpCounts::plus);
        }
    }

    public static void createSchema(Connection c, List<BacklogTable> tables) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String db :
                    tables.stream().map(BacklogTable::database).distinct().toList()) {
                st.execute("CREATE DATABASE IF NOT EXISTS " + db);
            }
            for (BacklogTable t : tables) {
                st.execute(t.ddl());
            }
        }
    }

    /** Creates the generator's tables, then writes its backlog; the tables' creation comes before {@code gtidBefore}. */
    public static Result write(MariaDbServer server, Generator generator) throws SQLException {
        // useAffectedRows: an UPDATE reports the rows it changed (those the binlog logs), not the rows it matched.
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("") + "?useAffectedRows=true", "root", "")) {
            createSchema(c, generator.tables());
            String before = gtidBinlogPos(c);
            long started = System.nanoTime();
            Ledger ledger = new Ledger(generator.tables().size());
            relaxDurability(c, true);
            try (Batch batch = new Batch(c, ledger)) {
                generator.write(batch::add);
            } finally {
                relaxDurability(c, false);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String after = gtidBinlogPos(c);
            Gtid last = lastGtid(after);
            long first = lastGtid(before).sequence() + 1;
            Result result = new Result(
                    generator.shape(),
                    generator.tables(),
                    ledger.written(),
                    before,
                    after,
                    last,
                    first,
                    ledger.eventsUpTo(),
                    ledger.largest(last.domain(), last.server(), first),
                    seconds,
                    binlogBytes(c));
            requireConsecutive(result);
            requireTableCounts(c, result);
            log.info(
                    "Backlog written in {} s: {} row changes ({}) in {} transactions, GTID {} -> {}",
                    String.format("%.1f", seconds),
                    result.events(),
                    result.writtenTotal(),
                    result.transactions(),
                    before,
                    after);
            return result;
        }
    }

    /**
     * The transactions queued for the next JDBC batch and the row count each statement must report. Single
     * statements run autocommitted; several are wrapped in START TRANSACTION / COMMIT.
     */
    private static final class Batch implements AutoCloseable {
        private final Statement statement;
        private final Ledger ledger;
        private final List<Change> expected = new ArrayList<>();
        private final List<Transaction> queued = new ArrayList<>();
        private static final Change BEGIN = Change.ddl("START TRANSACTION");
        private static final Change COMMIT = Change.ddl("COMMIT");

        Batch(Connection c, Ledger ledger) throws SQLException {
            c.setAutoCommit(true);
            this.statement = c.createStatement();
            this.ledger = ledger;
        }

        void add(Transaction t) throws SQLException {
            if (t.changes().isEmpty()) {
                throw new IllegalArgumentException("An empty transaction writes no GTID");
            }
            boolean wrapped = t.changes().size() > 1;
            if (wrapped) {
                queue(BEGIN);
            }
            for (Change change : t.changes()) {
                queue(change);
            }
            if (wrapped) {
                queue(COMMIT);
            }
            queued.add(t);
            if (expected.size() >= BATCH_STATEMENTS) {
                flush();
            }
        }

        private void queue(Change change) throws SQLException {
            statement.addBatch(change.sql());
            expected.add(change);
        }

        void flush() throws SQLException {
            if (expected.isEmpty()) {
                return;
            }
            int[] counts = statement.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                Change change = expected.get(i);
                if (counts[i] != change.rows() && counts[i] != Statement.SUCCESS_NO_INFO) {
                    throw new IllegalStateException("The backlog's statement changed " + counts[i] + " rows, not "
                            + change.rows() + " as its generator declared: " + abbreviate(change.sql()));
                }
            }
            queued.forEach(ledger::record);
            expected.clear();
            queued.clear();
        }

        @Override
        public void close() throws SQLException {
            try {
                flush();
            } finally {
                statement.close();
            }
        }
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 200 ? sql : sql.substring(0, 200) + "...";
    }

    /**
     * Durability of the source does not matter while loading a backlog we only read back, and flushing per 1-row
     * transaction would make generation, not the pipeline, dominate the run; the binlog content is the same.
     */
    private static void relaxDurability(Connection c, boolean relaxed) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET GLOBAL sync_binlog = " + (relaxed ? 0 : 1));
            st.execute("SET GLOBAL innodb_flush_log_at_trx_commit = " + (relaxed ? 0 : 1));
        }
    }

    private static String gtidBinlogPos(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long binlogBytes(Connection c) throws SQLException {
        long total = 0;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                total += rs.getLong(2);
            }
        }
        return total;
    }

    /** The one GTID of a single-domain position such as {@code 0-1-1234}. */
    static Gtid lastGtid(String gtidBinlogPos) {
        if (gtidBinlogPos == null || gtidBinlogPos.isBlank() || gtidBinlogPos.contains(",")) {
            throw new IllegalStateException(
                    "Expected one GTID domain on the bench server, found '" + gtidBinlogPos + "'");
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

    /** Each table holds its inserts minus its deletes: the ledger and the server agree on the rows left. */
    private static void requireTableCounts(Connection c, Result r) throws SQLException {
        for (int i = 0; i < r.tables().size(); i++) {
            BacklogTable t = r.tables().get(i);
            OpCounts w = r.written().get(i);
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t.qualifiedName())) {
                rs.next();
                if (rs.getLong(1) != w.inserts() - w.deletes()) {
                    throw new IllegalStateException(t.qualifiedName() + " holds " + rs.getLong(1) + " rows after the "
                            + "backlog, but its ledger says " + w + ": a generator's bookkeeping is wrong");
                }
            }
        }
    }
}
