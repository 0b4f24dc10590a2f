package dev.sluice.load;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.TopicPartition;

/**
 * Counters the workers publish for the progress line, {@code /health} and {@code /metrics}. Written by the worker
 * threads (each partition by the one worker that owns it), read by anyone without locks: each value is fresh on its
 * own, two values are not a consistent pair.
 */
public final class LoadStats {
    private final LongAdder events = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder applyNanos = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private final AtomicInteger workersRunning = new AtomicInteger();
    private final AtomicLong lastApplyAtMs = new AtomicLong();
    private final AtomicLong startedAtMs = new AtomicLong();
    private final Map<String, TableStatus> tables = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    private final Map<Column, LongAdder> nulled = new ConcurrentHashMap<>();

    /** A column of a source table, {@code db.table}: what the count of values loaded as NULL is kept by. */
    public record Column(String table, String column) {}

    /** One table as the metrics show it. */
    public static final class TableStatus {
        private final LongAdder events = new LongAdder();
        private volatile long lastSourceTimeMs;
        private volatile long lastAppliedAtMs;

        public long events() {
            return events.sum();
        }

        /** The source commit time of the newest change applied (binlog seconds), 0 before the first. */
        public long lastSourceTimeMs() {
            return lastSourceTimeMs;
        }

        public long lastAppliedAtMs() {
            return lastAppliedAtMs;
        }
    }

    void started(long nowMs) {
        startedAtMs.set(nowMs);
    }

    void workerStarted() {
        workersRunning.incrementAndGet();
    }

    void workerStopped() {
        workersRunning.decrementAndGet();
    }

    /** A batch was committed to the target. */
    void applied(Batch batch, long nanos, long nowMs) {
        events.add(batch.events());
        rows.add(batch.rows());
        batches.increment();
        applyNanos.add(nanos);
        lastApplyAtMs.set(nowMs);
    }

    void appliedTable(String table, int events, long sourceTimeMs, long nowMs) {
        TableStatus status = tables.computeIfAbsent(table, t -> new TableStatus());
        status.events.add(events);
        status.lastSourceTimeMs = Math.max(status.lastSourceTimeMs, sourceTimeMs);
        status.lastAppliedAtMs = nowMs;
    }

    /**
     * {@code n} values of {@code column} the target could not hold were loaded as NULL in a committed batch
     * ({@code load.unrepresentable-values: null}). Called by target sessions after their commit.
     */
    public void valuesNulled(Column column, long n) {
        nulled.computeIfAbsent(column, c -> new LongAdder()).add(n);
    }

    void conflict() {
        conflicts.increment();
    }

    /** Records behind the end of {@code partition} (its consumer's own estimate); -1 removes it (not ours any more). */
    void lag(TopicPartition partition, long records) {
        if (records < 0) {
            lag.remove(partition);
        } else {
            lag.put(partition, records);
        }
    }

    public long events() {
        return events.sum();
    }

    public long rows() {
        return rows.sum();
    }

    public long batches() {
        return batches.sum();
    }

    public double applySeconds() {
        return applyNanos.sum() / 1e9;
    }

    public long conflicts() {
        return conflicts.sum();
    }

    public int workersRunning() {
        return workersRunning.get();
    }

    public long lastApplyAtMs() {
        return lastApplyAtMs.get();
    }

    public long startedAtMs() {
        return startedAtMs.get();
    }

    public Map<String, TableStatus> tables() {
        return Map.copyOf(tables);
    }

    /** Records not yet loaded, per topic, over the partitions this process owns. */
    public Map<String, Long> lagByTopic() {
        Map<String, Long> byTopic = new java.util.TreeMap<>();
        lag.forEach((p, n) -> byTopic.merge(p.topic(), n, Long::sum));
        return byTopic;
    }

    /** Values loaded as NULL because the target could not hold them, per source table and column. */
    public Map<Column, Long> valuesNulled() {
        Map<Column, Long> counts = new java.util.TreeMap<>(
                java.util.Comparator.comparing(Column::table).thenComparing(Column::column));
        nulled.forEach((c, n) -> counts.put(c, n.sum()));
        return counts;
    }

    public long totalLag() {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }
}
