package dev.sluice.bench;

import dev.sluice.bench.Backlog.Change;
import dev.sluice.bench.Backlog.Transaction;
import java.sql.SQLException;
import java.util.List;

/**
 * INSERTs of the narrow 100-byte row into {@code bench.rows} ({@code BIGINT} id + 92 ASCII characters): a share of
 * them as 1-row transactions and the rest as 100-row transactions, interleaved evenly so the binlog holds a steady
 * mix rather than two phases, and optionally one large transaction halfway (W2's 1M rows). Ids are 1..N in commit
 * order. The rows are computed by the server (the Sequence engine for multi-row inserts), so no row crosses the
 * client connection.
 */
final class NarrowRows implements Backlog.Generator {
    static final String DATABASE = "bench";
    static final String TABLE = "rows";
    static final int ROWS_PER_BIG_TRANSACTION = 100;
    /** 8 bytes of BIGINT + 92 ASCII characters = the 100-byte row of the issue (plus 3 bytes of row framing). */
    static final int PAYLOAD_CHARS = 92;

    private final long events;
    private final long singleRowTransactions;
    private final long bigTransactions;
    private final long largeTransactionRows;

    /**
     * {@code events} row changes, {@code singleRowShare} of them in 1-row transactions, the rest in 100-row ones;
     * plus, if {@code largeTransactionRows} > 0, one transaction of that many rows after half of the others.
     */
    NarrowRows(long events, double singleRowShare, long largeTransactionRows) {
        this.events = events;
        this.singleRowTransactions = Math.round(events * singleRowShare);
        long inBig = events - singleRowTransactions;
        this.bigTransactions = (inBig + ROWS_PER_BIG_TRANSACTION - 1) / ROWS_PER_BIG_TRANSACTION;
        this.largeTransactionRows = largeTransactionRows;
    }

    /** The narrow row's table: {@code (id BIGINT PRIMARY KEY, payload VARCHAR(100) NOT NULL)}. */
    static BacklogTable table(String database, String name) {
        return new BacklogTable(
                database,
                name,
                "CREATE TABLE " + database + "." + name + " (id BIGINT PRIMARY KEY, payload VARCHAR(100) NOT NULL)",
                List.of(CheckedColumn.integer("id"), CheckedColumn.text("payload")));
    }

    /** 92 pseudo-random hex characters, a function of {@code idSql} (an SQL expression), computed by the server. */
    static String payload(String idSql) {
        return "LEFT(SHA2(" + idSql + ", 512), " + PAYLOAD_CHARS + ")";
    }

    /** One statement inserting ids {@code first..first+rows-1}, as one row or from the Sequence engine. */
    static Change insert(int table, String qualifiedName, long first, long rows, long payloadSalt) {
        if (rows == 1) {
            return Change.insert(
                    table,
                    1,
                    "INSERT INTO " + qualifiedName + " (id, payload) VALUES (" + first + ", "
                            + payload(Long.toString(first + payloadSalt)) + ")");
        }
        return Change.insert(
                table,
                rows,
                "INSERT INTO " + qualifiedName + " (id, payload) SELECT seq, " + payload("seq + " + payloadSalt)
                        + " FROM " + sequence(first, rows));
    }

    /** The Sequence engine's table of {@code first..first+rows-1} (a table of any database; bench's here). */
    static String sequence(long first, long rows) {
        return DATABASE + ".seq_" + first + "_to_" + (first + rows - 1);
    }

    @Override
    public String shape() {
        String mix = singleRowTransactions == events
                ? "1 row per transaction"
                : singleRowTransactions == 0
                        ? ROWS_PER_BIG_TRANSACTION + " rows per transaction"
                        : String.format(
                                java.util.Locale.ROOT,
                                "%,d 1-row + %,d %d-row transactions",
                                singleRowTransactions,
                                bigTransactions,
                                ROWS_PER_BIG_TRANSACTION);
        return mix
                + (largeTransactionRows > 0
                        ? String.format(
                                java.util.Locale.ROOT, ", plus one %,d-row transaction halfway", largeTransactionRows)
                        : "");
    }

    @Override
    public List<BacklogTable> tables() {
        return List.of(table(DATABASE, TABLE));
    }

    @Override
    public void write(Backlog.Sink sink) throws SQLException {
        String name = DATABASE + "." + TABLE;
        long nextId = 1;
        long regular = 0;
        long singles = 0;
        long bigs = 0;
        boolean largeDone = largeTransactionRows == 0;
        while (singles < singleRowTransactions || bigs < bigTransactions) {
            if (!largeDone && regular >= events / 2) {
                sink.add(Transaction.of(insert(0, name, nextId, largeTransactionRows, 0)));
                nextId += largeTransactionRows;
                largeDone = true;
            }
            boolean single = singleNext(singles, bigs);
            // A big transaction takes 100 rows, or what is left once the remaining 1-row transactions are set aside.
            long rows = single
                    ? 1
                    : Math.min(ROWS_PER_BIG_TRANSACTION, events - regular - (singleRowTransactions - singles));
            sink.add(Transaction.of(insert(0, name, nextId, rows, 0)));
            nextId += rows;
            regular += rows;
            singles += single ? 1 : 0;
            bigs += single ? 0 : 1;
        }
        if (!largeDone) {
            sink.add(Transaction.of(insert(0, name, nextId, largeTransactionRows, 0)));
        }
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
}
