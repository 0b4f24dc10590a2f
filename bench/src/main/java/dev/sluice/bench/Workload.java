package dev.sluice.bench;

import java.util.List;

/**
 * The backlogs of ../shared/BENCHMARKS.md that the pipeline and peer benches replay, each pre-generated into the
 * binlog of a fresh server by its {@link Backlog.Generator}. {@code defaultEvents} are the row changes of a default
 * run, chosen so that `bench pipeline` with all of W1-W7 takes under ten minutes on 2 cores; W2 adds its large
 * transaction on top.
 */
public enum Workload {
    W1("narrow row, 1 row per transaction", 300_000),
    W2("narrow row, 100 rows per transaction, plus one large transaction (1M rows by default) halfway", 300_000),
    W3("wide typed row (DATETIME(6), DECIMAL, JSON, utf8mb4, ENUM, BIT, integers), 10 rows per transaction", 300_000),
    W4("update-heavy: a key set inserted, then mostly UPDATEs of it, with DELETEs", 450_000),
    W5("large rows of 4-16 KB, 10 rows per transaction", 45_000),
    W6("100 tables: narrow rows, each transaction into 4 of bench.t000..t099", 300_000),
    W7("ALTER TABLE ... ADD COLUMN halfway; rows after it carry the new column", 300_000),
    MIX(
            "`bench pipeline`'s earlier default: narrow row, 10 % of rows in 1-row, 90 % in 100-row transactions",
            1_000_000);

    /** The seven workloads of BENCHMARKS.md, the default of `bench pipeline`. */
    public static final List<Workload> ALL = List.of(W1, W2, W3, W4, W5, W6, W7);

    public static final long DEFAULT_LARGE_TRANSACTION_ROWS = 1_000_000;

    private final String description;
    private final long defaultEvents;

    Workload(String description, long defaultEvents) {
        this.description = description;
        this.defaultEvents = defaultEvents;
    }

    public String description() {
        return description;
    }

    public long defaultEvents() {
        return defaultEvents;
    }

    /**
     * How big to make a backlog: {@code events} row changes (0 = the workload's default), W2's large transaction,
     * and MIX's share of 1-row transactions.
     */
    public record Size(long events, long largeTransactionRows, double singleRowShare) {
        public static final Size DEFAULTS = new Size(0, DEFAULT_LARGE_TRANSACTION_ROWS, 0.1);
    }

    public long events(Size size) {
        return size.events() > 0 ? size.events() : defaultEvents;
    }

    public Backlog.Generator generator(Size size) {
        long events = events(size);
        return switch (this) {
            case W1 -> new NarrowRows(events, 1.0, 0);
            case W2 -> new NarrowRows(events, 0.0, size.largeTransactionRows());
            case W3 -> new WideRows(events);
            case W4 -> new UpdateHeavy(events);
            case W5 -> new LargeRows(events);
            case W6 -> new ManyTables(events);
            case W7 -> new AlterHalfway(events);
            case MIX -> new NarrowRows(events, size.singleRowShare(), 0);
        };
    }
}
