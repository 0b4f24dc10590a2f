package dev.sluice.bench;

import dev.sluice.bench.Backlog.Change;
import dev.sluice.bench.Backlog.Transaction;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * W6: INSERTs of the narrow row spread over 100 tables, {@code bench.t000} .. {@code bench.t099}: each transaction
 * writes 5 rows into each of 4 different tables (20 rows), chosen so that consecutive transactions touch different
 * tables and every table gets the same share. Each table has its own ids 1..n.
 */
final class ManyTables implements Backlog.Generator {
    static final int TABLES = 100;
    static final int TABLES_PER_TRANSACTION = 4;
    static final int ROWS_PER_TABLE = 5;

    private final long events;
    private final List<BacklogTable> tables = new ArrayList<>();

    ManyTables(long events) {
        this.events = events;
        for (int i = 0; i < TABLES; i++) {
            tables.add(NarrowRows.table("bench", name(i)));
        }
    }

    static String name(int table) {
        return String.format(java.util.Locale.ROOT, "t%03d", table);
    }

    @Override
    public String shape() {
        return TABLES_PER_TRANSACTION * ROWS_PER_TABLE + " rows per transaction, " + ROWS_PER_TABLE + " into each of "
                + TABLES_PER_TRANSACTION + " of " + TABLES + " tables";
    }

    @Override
    public List<BacklogTable> tables() {
        return List.copyOf(tables);
    }

    @Override
    public void write(Backlog.Sink sink) throws SQLException {
        long[] nextId = new long[TABLES];
        java.util.Arrays.fill(nextId, 1);
        long written = 0;
        for (long k = 0; written < events; k++) {
            List<Change> changes = new ArrayList<>();
            for (int j = 0; j < TABLES_PER_TRANSACTION && written < events; j++) {
                int t = table(k, j);
                long rows = Math.min(ROWS_PER_TABLE, events - written);
                // The salt makes each table's payloads differ from the others' for the same id.
                changes.add(NarrowRows.insert(t, tables.get(t).qualifiedName(), nextId[t], rows, t * 100_000_000L));
                nextId[t] += rows;
                written += rows;
            }
            sink.add(new Transaction(changes));
        }
    }

    /** Table j of transaction k: 37 is coprime to 100, so k walks all tables; j * 13 keeps the 4 apart. */
    static int table(long k, int j) {
        return (int) ((k * 37 + j * 13) % TABLES);
    }
}
