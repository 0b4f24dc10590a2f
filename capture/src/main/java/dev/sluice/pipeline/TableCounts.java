package dev.sluice.pipeline;

import dev.sluice.monitor.PipelineStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Change events per table in the open Kafka transaction, published to {@link PipelineStats} when it commits (an
 * aborted transaction's counts die with the stream). Owned by the stream thread; a row costs a field increment,
 * since each {@link TableTargets.Target} holds its table's {@link Count}.
 */
final class TableCounts {
    static final class Count {
        private final String table;
        private long pending;
        private long lastSourceTimeMs;

        private Count(String table) {
            this.table = table;
        }
    }

    private final Map<String, Count> byTable = new HashMap<>();
    private final List<Count> touched = new ArrayList<>();

    Count of(String table) {
        return byTable.computeIfAbsent(table, Count::new);
    }

    void add(Count count, long sourceTimeMs) {
        if (count.pending++ == 0) {
            touched.add(count);
        }
        count.lastSourceTimeMs = sourceTimeMs;
    }

    /** The transaction committed: its counts become visible. */
    void publish(PipelineStats stats) {
        for (Count c : touched) {
            stats.recordTableEvents(c.table, c.pending, c.lastSourceTimeMs);
            c.pending = 0;
        }
        touched.clear();
    }
}
