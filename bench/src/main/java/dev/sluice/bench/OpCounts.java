package dev.sluice.bench;

/** Row changes by operation: what a backlog wrote into a table, or what a topic holds for it. */
public record OpCounts(long inserts, long updates, long deletes) {
    public static final OpCounts NONE = new OpCounts(0, 0, 0);

    public long total() {
        return inserts + updates + deletes;
    }

    public OpCounts plus(OpCounts o) {
        return new OpCounts(inserts + o.inserts, updates + o.updates, deletes + o.deletes);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "c %,d / u %,d / d %,d", inserts, updates, deletes);
    }
}
