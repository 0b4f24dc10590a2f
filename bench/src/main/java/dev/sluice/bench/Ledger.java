package dev.sluice.bench;

import dev.sluice.event.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A backlog's bookkeeping, filled in commit order: row changes per table and operation, the running total of row
 * changes after each transaction (so a GTID's sequence number tells how much of the backlog a commit covers), and the
 * largest transaction. Owned by the thread that writes the backlog.
 */
final class Ledger {
    private final long[][] counts;
    private long[] eventsUpTo = new long[1024];
    private int transactions;
    private long total;
    private int largestIndex = -1;
    private long largestRows = -1;

    Ledger(int tables) {
        counts = new long[tables][3];
    }

    void record(Backlog.Transaction t) {
        long rows = 0;
        for (Backlog.Change change : t.changes()) {
            if (change.op() != null) {
                counts[change.table()][column(change.op())] += change.rows();
                rows += change.rows();
            }
        }
        if (transactions == eventsUpTo.length) {
            eventsUpTo = Arrays.copyOf(eventsUpTo, eventsUpTo.length * 2);
        }
        total += rows;
        eventsUpTo[transactions] = total;
        if (rows > largestRows) {
            largestRows = rows;
            largestIndex = transactions;
        }
        transactions++;
    }

    private static int column(Op op) {
        return switch (op) {
            case CREATE -> 0;
            case UPDATE -> 1;
            case DELETE -> 2;
            case READ -> throw new IllegalArgumentException("A backlog writes no snapshot reads");
        };
    }

    List<OpCounts> written() {
        List<OpCounts> out = new ArrayList<>();
        for (long[] c : counts) {
            out.add(new OpCounts(c[0], c[1], c[2]));
        }
        return out;
    }

    long[] eventsUpTo() {
        return Arrays.copyOf(eventsUpTo, transactions);
    }

    /** The largest transaction, named by its GTID: transaction i has sequence number {@code firstSequence + i}. */
    Backlog.Largest largest(long domain, long serverId, long firstSequence) {
        if (largestIndex < 0) {
            return new Backlog.Largest("", 0);
        }
        return new Backlog.Largest(domain + "-" + serverId + "-" + (firstSequence + largestIndex), largestRows);
    }
}
