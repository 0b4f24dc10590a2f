package dev.sluice.load;

import dev.sluice.config.LoadConfig;
import dev.sluice.event.ChangeEvent;
import dev.sluice.kafka.TopicNames;
import dev.sluice.position.SourceVersion;
import dev.sluice.schema.SchemaVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Collects one worker's next batch: folds each change event into its table ({@link TableChanges}) and remembers,
 * per partition, the offset after the last record taken. The batch is due when it holds {@code load.batch-rows}
 * events or {@code load.batch-bytes} bytes, or its oldest event waited {@code load.batch-ms}.
 *
 * <p>Not thread-safe: owned by its worker's thread.
 */
final class BatchBuilder {
    private final LoadConfig.Load limits;
    private final Map<TopicNames.Table, TableChanges> tables = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
    private int events;
    private long bytes;
    private long firstAtMs = -1;

    BatchBuilder(LoadConfig.Load limits) {
        this.limits = limits;
    }

    /**
     * Adds one change event read at {@code origin}; false when it cannot join this batch (it has another schema
     * version of its table than the batch's: a DDL lies between them): apply the batch, then add it again.
     */
    boolean add(
            TopicNames.Table table,
            ChangeEvent event,
            SchemaVersion schema,
            RowChange.Origin origin,
            int recordBytes,
            long nowMs) {
        TableChanges changes = tables.computeIfAbsent(table, t -> new TableChanges(t, schema));
        if (!changes.accepts(schema)) {
            return false;
        }
        fold(changes, event, schema, origin);
        nextOffsets.put(new TopicPartition(origin.topic(), origin.partition()), origin.offset() + 1);
        events++;
        bytes += recordBytes;
        if (firstAtMs < 0) {
            firstAtMs = nowMs;
        }
        return true;
    }

    /** Notes records of a partition that carry no change (a tombstone): the range still moves past them. */
    void skip(TopicPartition partition, long offset) {
        nextOffsets.put(partition, offset + 1);
    }

    private static void fold(TableChanges changes, ChangeEvent event, SchemaVersion schema, RowChange.Origin origin) {
        SourceVersion version = versionOf(event);
        switch (event.op()) {
            case CREATE, READ ->
                changes.upsert(
                        event.after(),
                        new RowChange(
                                RowChange.Kind.UPSERT,
                                event.after(),
                                version,
                                schema,
                                origin,
                                event.source().tsMs()));
            case DELETE ->
                changes.delete(
                        event.before(),
                        new RowChange(
                                RowChange.Kind.DELETE,
                                event.before(),
                                version,
                                schema,
                                origin,
                                event.source().tsMs()));
            case UPDATE -> update(changes, event, schema, origin, version);
        }
    }

    /** An update that moves its key is a delete of the old key and an insert of the new, at the same version. */
    private static void update(
            TableChanges changes, ChangeEvent event, SchemaVersion schema, RowChange.Origin origin, SourceVersion v) {
        if (event.before() != null && !changes.keyOf(event.before()).equals(changes.keyOf(event.after()))) {
            changes.delete(
                    event.before(),
                    new RowChange(
                            RowChange.Kind.DELETE,
                            event.before(),
                            v,
                            schema,
                            origin,
                            event.source().tsMs()));
        }
        changes.upsert(
                event.after(),
                new RowChange(
                        RowChange.Kind.UPSERT,
                        event.after(),
                        v,
                        schema,
                        origin,
                        event.source().tsMs()));
    }

    /** The event's source version (docs/load.md): the transaction's ordinal and the event's index, or a copy's. */
    static SourceVersion versionOf(ChangeEvent event) {
        long ordinal = event.source().ordinal();
        return event.source().snapshot()
                ? SourceVersion.ofCopy(ordinal)
                : SourceVersion.ofChange(ordinal, event.source().event());
    }

    boolean isEmpty() {
        return nextOffsets.isEmpty();
    }

    boolean isDue(long nowMs) {
        return events >= limits.batchRows()
                || bytes >= limits.batchBytes()
                || (firstAtMs >= 0 && nowMs - firstAtMs >= limits.batchTime().toMillis());
    }

    /** The batch: each partition's range from {@code positions} (where it was loaded up to) to its next offset. */
    Batch take(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, OffsetRange> offsets = new HashMap<>();
        nextOffsets.forEach((p, next) -> offsets.put(p, new OffsetRange(positions.get(p), next)));
        Batch batch = new Batch(offsets, new ArrayList<>(tables.values()), events, bytes);
        clear();
        return batch;
    }

    /** Forgets everything collected (the partitions were taken away, or the batch was applied elsewhere). */
    void clear() {
        tables.clear();
        nextOffsets.clear();
        events = 0;
        bytes = 0;
        firstAtMs = -1;
    }
}
