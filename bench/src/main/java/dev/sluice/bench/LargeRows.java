package dev.sluice.bench;

import dev.sluice.bench.Backlog.Change;
import dev.sluice.bench.Backlog.Transaction;
import java.sql.SQLException;
import java.util.List;

/**
 * W5: INSERTs of 4-16 KB rows into {@code bench.docs} ({@code BIGINT} id + a MEDIUMTEXT body of 4,096 to 16,384 ASCII
 * characters, ~10 KB on average), 10 rows (~100 KB) per transaction. The body is a function of the id, computed by
 * the server.
 */
final class LargeRows implements Backlog.Generator {
    static final int ROWS_PER_TRANSACTION = 10;
    static final int MIN_BYTES = 4_096;
    static final int MAX_BYTES = 16_384;
    static final BacklogTable TABLE = new BacklogTable(
            "bench",
            "docs",
            "CREATE TABLE bench.docs (id BIGINT NOT NULL PRIMARY KEY, body MEDIUMTEXT NOT NULL) ENGINE=InnoDB",
            List.of(CheckedColumn.integer("id"), CheckedColumn.text("body")));

    private final long events;

    LargeRows(long events) {
        this.events = events;
    }

    /** 4,096 + (seq * 7919) mod 12,289 characters: spread evenly over 4-16 KB. */
    static String body(String seq) {
        return "LEFT(REPEAT(SHA2(" + seq + ", 512), " + (MAX_BYTES / 128 + 1) + "), " + MIN_BYTES + " + (" + seq
                + " * 7919) % " + (MAX_BYTES - MIN_BYTES + 1) + ")";
    }

    @Override
    public String shape() {
        return ROWS_PER_TRANSACTION + " rows per transaction, 4-16 KB per row";
    }

    @Override
    public List<BacklogTable> tables() {
        return List.of(TABLE);
    }

    @Override
    public void write(Backlog.Sink sink) throws SQLException {
        for (long first = 1; first <= events; first += ROWS_PER_TRANSACTION) {
            long rows = Math.min(ROWS_PER_TRANSACTION, events - first + 1);
            sink.add(Transaction.of(Change.insert(
                    0,
                    rows,
                    "INSERT INTO " + TABLE.qualifiedName() + " SELECT seq, " + body("seq") + " FROM "
                            + NarrowRows.sequence(first, rows))));
        }
    }
}
