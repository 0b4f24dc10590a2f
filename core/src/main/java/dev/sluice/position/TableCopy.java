package dev.sluice.position;

import java.util.List;
import java.util.Objects;

/**
 * How far the copy of one table has got, committed to Kafka together with the rows it covers, so a restart resumes
 * at the first chunk that was not published.
 *
 * @param database    the table's database
 * @param table       the table's name
 * @param where       an extra row filter given with {@code sluice snapshot --where}, or empty
 * @param after       primary key of the last row of the last published chunk (key order; numbers, strings, or
 *                    byte arrays); {@code null} before the first chunk
 * @param rowsCopied  rows published so far
 * @param chunks      chunks published so far
 * @param estimatedRows the server's row estimate when the copy started (information_schema.TABLES.TABLE_ROWS)
 * @param state       {@link State}
 */
public record TableCopy(
        String database,
        String table,
        String where,
        List<Object> after,
        long rowsCopied,
        long chunks,
        long estimatedRows,
        State state) {
    public TableCopy {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(table, "table");
        where = where == null ? "" : where;
        after = after == null ? null : List.copyOf(after);
    }

    /** A copy that has not started. */
    public static TableCopy pending(String database, String table, String where) {
        return new TableCopy(database, table, where, null, 0, 0, -1, State.PENDING);
    }

    public enum State {
        /** Not finished: chunks remain. */
        PENDING,
        /** Every chunk is published. */
        DONE,
        /** The table was dropped while it was being copied; what was published stays, the rest is gone. */
        DROPPED
    }

    public boolean finished() {
        return state != State.PENDING;
    }

    public TableCopy afterChunk(List<Object> lastKey, long rows, boolean last) {
        return new TableCopy(
                database,
                table,
                where,
                lastKey,
                rowsCopied + rows,
                chunks + 1,
                estimatedRows,
                last ? State.DONE : State.PENDING);
    }

    public TableCopy withEstimate(long rows) {
        return new TableCopy(database, table, where, after, rowsCopied, chunks, rows, state);
    }

    public TableCopy dropped() {
        return new TableCopy(database, table, where, after, rowsCopied, chunks, estimatedRows, State.DROPPED);
    }

    public String qualifiedName() {
        return database + "." + table;
    }
}
