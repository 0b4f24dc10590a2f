package dev.sluice.bench;

import dev.sluice.bench.Backlog.Change;
import dev.sluice.bench.Backlog.Transaction;
import java.sql.SQLException;
import java.util.List;

/**
 * W7, an ALTER halfway, on the narrow row's {@code bench.rows}: half the events as 100-row INSERTs, then
 * {@code ALTER TABLE bench.rows ADD COLUMN note VARCHAR(40) NULL AFTER id} (a new column in the middle of the row),
 * then 100-row INSERTs that fill it (with non-ASCII text), with every tenth transaction an UPDATE that sets it on 10
 * rows written before the ALTER (their before image has the column, NULL). Rows written before the ALTER and never
 * updated keep NULL, which their change events, written without the column, also mean.
 */
final class AlterHalfway implements Backlog.Generator {
    static final String ALTER = "ALTER TABLE bench.rows ADD COLUMN note VARCHAR(40) NULL AFTER id";
    static final int ROWS_PER_TRANSACTION = 100;
    static final int UPDATE_ROWS = 10;
    private static final BacklogTable TABLE = NarrowRows.table("bench", "rows")
            .withColumns(
                    List.of(CheckedColumn.integer("id"), CheckedColumn.text("note"), CheckedColumn.text("payload")));

    private final long events;

    AlterHalfway(long events) {
        this.events = events;
    }

    @Override
    public String shape() {
        return ROWS_PER_TRANSACTION + "-row inserts; ADD COLUMN halfway; then inserts filling it and 10-row updates "
                + "of older rows";
    }

    @Override
    public List<BacklogTable> tables() {
        return List.of(TABLE);
    }

    @Override
    public void write(Backlog.Sink sink) throws SQLException {
        long half = events / 2;
        long nextId = 1;
        while (nextId <= half) {
            long rows = Math.min(ROWS_PER_TRANSACTION, half - nextId + 1);
            sink.add(Transaction.of(NarrowRows.insert(0, "bench.rows", nextId, rows, 0)));
            nextId += rows;
        }
        sink.add(Transaction.of(Change.ddl(ALTER)));
        long written = half;
        long updatedUpTo = 0;
        for (long k = 1; written < events; k++) {
            if (k % 10 == 0 && updatedUpTo + UPDATE_ROWS <= half && events - written >= UPDATE_ROWS) {
                sink.add(Transaction.of(Change.update(
                        0,
                        UPDATE_ROWS,
                        "UPDATE bench.rows SET note = CONCAT('mis à " + "jour ', id) WHERE id BETWEEN "
                                + (updatedUpTo + 1) + " AND " + (updatedUpTo + UPDATE_ROWS))));
                updatedUpTo += UPDATE_ROWS;
                written += UPDATE_ROWS;
                continue;
            }
            long rows = Math.min(ROWS_PER_TRANSACTION, events - written);
            sink.add(Transaction.of(Change.insert(
                    0,
                    rows,
                    "INSERT INTO bench.rows (id, note, payload) SELECT seq, "
                            + "CONCAT('après ', seq), " + NarrowRows.payload("seq") + " FROM "
                            + NarrowRows.sequence(nextId, rows))));
            nextId += rows;
            written += rows;
        }
    }
}
