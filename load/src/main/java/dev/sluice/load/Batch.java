package dev.sluice.load;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * One unit of loading: the change events a worker consumed from some partitions, folded per table and key
 * ({@link TableChanges}), and the offset range of each partition they came from. A target applies a batch in one
 * transaction together with its offsets, or not at all.
 *
 * @param events change events consumed (before folding)
 * @param bytes  bytes of those records (keys and values)
 */
public record Batch(Map<TopicPartition, OffsetRange> offsets, List<TableChanges> tables, int events, long bytes) {
    public Batch {
        offsets = Map.copyOf(offsets);
        tables = List.copyOf(tables);
    }

    /** Rows the target writes or deletes: one per key per table. */
    public int rows() {
        return tables.stream().mapToInt(TableChanges::size).sum();
    }

    public boolean isEmpty() {
        return offsets.isEmpty();
    }
}
