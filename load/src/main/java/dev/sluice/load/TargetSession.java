package dev.sluice.load;

import dev.sluice.event.ChangeEvent;
import dev.sluice.kafka.TopicNames;
import dev.sluice.schema.SchemaVersion;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * One worker's connection to the target. The exactly-once contract every target keeps (docs/load.md):
 *
 * <ol>
 *   <li>The offsets of what is loaded live in the target, written in the same target transaction as the data they
 *       lead to ({@link #storedOffsets}); Kafka's group offsets are only a hint for monitoring.</li>
 *   <li>{@link #apply} moves each partition's stored offset from {@link OffsetRange#from()} to
 *       {@link OffsetRange#next()} only if it still is at {@code from}: a worker that lost its partitions to another
 *       (a rebalance, a paused process) finds the offset moved, applies nothing and returns {@link Applied#CONFLICT}.
 *       </li>
 *   <li>Every upsert and delete is guarded by the row's {@code SourceVersion}: it changes a row only when it is
 *       newer than the version the row, or the row's deletion, was written with. A replay, a rewind, a re-copy of
 *       the table or a second loader changes nothing.</li>
 * </ol>
 *
 * <p>Called from its worker's thread only.
 */
public interface TargetSession extends AutoCloseable {
    /** What {@link #apply} did. */
    enum Applied {
        /** The batch and its offsets are committed. */
        APPLIED,
        /** Another loader moved an offset of the batch first; nothing was written. */
        CONFLICT
    }

    /** The next offset to load of each partition, as stored with the data; a partition never loaded is absent. */
    Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions);

    /** Applies the batch, its schema changes and its offsets in one transaction, or nothing. */
    Applied apply(Batch batch);

    /**
     * Refuses a change, before it joins a batch, when it holds a value the target cannot hold and the loader must
     * stop for it ({@code load.unrepresentable-values: stop}, or a key column): a {@code SluiceException} naming table,
     * column, key and record. The worker applies the changes read before it first, so the target stops exactly there.
     */
    void check(TopicNames.Table table, ChangeEvent event, SchemaVersion schema, RowChange.Origin origin);

    /** The schema changes (DDL) {@link #apply} would run for the batch, without running anything: the dry run. */
    List<String> plan(Batch batch);

    @Override
    void close();
}
