package dev.sluice.load;

import dev.sluice.config.LoadConfig;
import dev.sluice.config.TableFilter;
import dev.sluice.event.ChangeEvent;
import dev.sluice.event.EnvelopeDecoder;
import dev.sluice.event.MalformedEventException;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.ChangeConsumer;
import dev.sluice.kafka.TopicNames;
import dev.sluice.schema.SchemaVersion;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loader worker: a member of the loader's consumer group with its own target session. It owns the partitions
 * the group gives it; for each it loads from the offset stored in the target (never from the group's offset), folds
 * what it reads into a batch, and applies the batch with the new offsets in one target transaction.
 *
 * <p>The one loop ({@link #run}) owns the batch and the positions; the rebalance callbacks run inside its
 * {@code poll}, on the same thread. A partition taken away applies what was read of it first (its new owner
 * starts from the stored offset). A batch the target refuses because another worker moved an offset first
 * (a rebalance this worker has not seen yet) is dropped and every partition re-read from its stored offset.
 */
final class LoadWorker implements Runnable, ConsumerRebalanceListener {
    private static final Logger log = LoggerFactory.getLogger(LoadWorker.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final int id;
    private final LoadConfig config;
    private final Target target;
    private final SchemaCatalog schemas;
    private final LoadStats stats;
    private final LongSupplier clock;
    private final TopicNames names;
    private final TableFilter filter;
    private final EnvelopeDecoder decoder = new EnvelopeDecoder();
    private final BatchBuilder batch;
    /** Where each owned partition is loaded up to: the stored offset, then each applied batch's end. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    private final Map<String, Optional<TopicNames.Table>> tablesByTopic = new HashMap<>();

    private volatile boolean stopping;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private TargetSession session;

    LoadWorker(int id, LoadConfig config, Target target, SchemaCatalog schemas, LoadStats stats, LongSupplier clock) {
        this.id = id;
        this.config = config;
        this.target = target;
        this.schemas = schemas;
        this.stats = stats;
        this.clock = clock;
        this.names = new TopicNames(config.kafka().topicPrefix());
        this.filter = new TableFilter(config.filter());
        this.batch = new BatchBuilder(config.load());
    }

    @Override
    public void run() {
        stats.workerStarted();
        try {
            session = target.openSession();
            try (KafkaConsumer<byte[], byte[]> c = openConsumer()) {
                consumer = c;
                c.subscribe(names.changeTopicPattern(), this);
                while (!stopping) {
                    pollSafely();
                }
                applyBatch();
            }
        } finally {
            if (session != null) {
                session.close();
            }
            stats.workerStopped();
        }
    }

    /** Asks the loop to apply what it has and stop; returns at once. */
    void stop() {
        stopping = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private KafkaConsumer<byte[], byte[]> openConsumer() {
        return ChangeConsumer.of(config.kafka())
                .group(config.load().name())
                .property("client.id", config.load().name() + "-" + id)
                .property("max.poll.records", Math.min(10_000, config.load().batchRows()))
                // Kafka's default (range) assigns per topic: with one partition per table topic every partition
                // would go to the same worker, and a second worker or loader would sit idle.
                .property("partition.assignment.strategy", CooperativeStickyAssignor.class.getName())
                .open();
    }

    /**
     * One poll; a lost target connection is reopened and everything owned re-read from the stored offsets. A failure
     * inside a rebalance callback comes out of {@code poll} wrapped by Kafka: the loader's own is reported.
     */
    private void pollSafely() {
        try {
            pollOnce();
        } catch (TargetUnavailableException e) {
            reconnect(e);
        } catch (WakeupException e) {
            // stop() wakes the consumer in whatever call it is: poll, or re-reading the stored offsets after a
            // conflict. Either way nothing of a batch is half-written; the loop ends, a restart reads the target.
            if (!stopping) {
                throw e;
            }
        } catch (KafkaException e) {
            if (e.getCause() instanceof TargetUnavailableException lost) {
                reconnect(lost);
            } else if (e.getCause() instanceof SluiceException s) {
                throw s;
            } else {
                throw e;
            }
        }
    }

    /** Within the retry budget of target.connect-retry-seconds; past it the worker stops with exit 4. */
    private void reconnect(TargetUnavailableException e) {
        log.warn("Worker {}: {}; reconnecting and loading again from the stored offsets", id, e.getMessage());
        batch.clear();
        session.close();
        session = target.openSession();
        // The failure may have come out of a rebalance callback before it finished: own what Kafka says is ours.
        positions.keySet().retainAll(consumer.assignment());
        seekToStored(consumer.assignment());
    }

    private void pollOnce() {
        try {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                take(record);
            }
        } catch (WakeupException stopRequested) {
            return;
        }
        recordLag();
        if (!batch.isEmpty() && batch.isDue(clock.getAsLong())) {
            applyBatch();
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        RowChange.Origin origin = new RowChange.Origin(record.topic(), record.partition(), record.offset());
        Optional<TopicNames.Table> table = loadedTable(record.topic());
        // Only the tables this loader loads are decoded: a record it would skip cannot stop it.
        if (table.isEmpty()) {
            batch.skip(partition, record.offset());
            return;
        }
        ChangeEvent event = decode(record);
        if (event.isTombstone()) {
            batch.skip(partition, record.offset());
            return;
        }
        SchemaVersion schema = schemaOf(table.get(), event, origin);
        checkValues(table.get(), event, schema, origin);
        int bytes = size(record.key()) + size(record.value());
        if (!batch.add(table.get(), event, schema, origin, bytes, clock.getAsLong())) {
            applyBatch();
            batch.add(table.get(), event, schema, origin, bytes, clock.getAsLong());
        }
    }

    /**
     * The table a topic's records load into, or empty when the filter leaves it out; worked out once per topic, since
     * parsing the name and matching the filter per record cost the worker a measurable share of its time.
     */
    private Optional<TopicNames.Table> loadedTable(String topic) {
        return tablesByTopic.computeIfAbsent(
                topic, t -> names.parse(t).filter(table -> filter.captures(table.database(), table.table())));
    }

    /** A change the loader must stop at: what was read before it is applied first, so the target ends right there. */
    private void checkValues(TopicNames.Table table, ChangeEvent event, SchemaVersion schema, RowChange.Origin origin) {
        try {
            session.check(table, event, schema, origin);
        } catch (SluiceException stop) {
            applyBatch();
            throw stop;
        }
    }

    /** A record that is not a change event stops the loader before it, saying how to go past it. */
    private ChangeEvent decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return decoder.decode(record.topic(), record.partition(), record.offset(), record.key(), record.value());
        } catch (MalformedEventException e) {
            applyBatch(); // what was read before it is loaded, as the message says
            throw new SluiceException(
                    ExitCode.DATA,
                    e.getMessage() + ". The loader stops before it, having loaded everything up to it. A topic that "
                            + "is not a change topic of " + config.kafka().topicPrefix() + " can be left out with "
                            + "filter.exclude.",
                    e);
        }
    }

    private SchemaVersion schemaOf(TopicNames.Table table, ChangeEvent event, RowChange.Origin origin) {
        long version = event.source().schemaVersion();
        if (version <= 0 || event.source().ordinal() < 0) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "The change event at " + origin + " carries no schema version or source ordinal: it was "
                            + "written by an older Sluice, or by another tool. sluice load reads topics written by "
                            + "sluice run from this version on; copy the table again (sluice snapshot) to load it.");
        }
        SchemaVersion schema = schemas.get(table, version, origin);
        if (schema.primaryKey().isEmpty()) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Table " + schema.qualifiedName() + " has no primary key (change event at " + origin + "): the "
                            + "loader cannot tell its rows apart to update or delete them exactly once. Give the "
                            + "table a primary key, or leave it out with filter.exclude.");
        }
        return schema;
    }

    private void applyBatch() {
        if (batch.isEmpty()) {
            return;
        }
        Batch ready = batch.take(positions);
        long started = System.nanoTime();
        TargetSession.Applied applied = session.apply(ready);
        if (applied == TargetSession.Applied.CONFLICT) {
            stats.conflict();
            log.info(
                    "Worker {}: another loader moved an offset of this batch first; re-reading from the stored offsets",
                    id);
            seekToStored(positions.keySet());
            return;
        }
        long now = clock.getAsLong();
        stats.applied(ready, System.nanoTime() - started, now);
        recordTables(ready, now);
        ready.offsets().forEach((p, range) -> positions.put(p, range.next()));
        commitHint(ready);
    }

    private void recordTables(Batch ready, long nowMs) {
        for (TableChanges t : ready.tables()) {
            long newest = t.changes().stream()
                    .mapToLong(RowChange::sourceTimeMs)
                    .max()
                    .orElse(0);
            stats.appliedTable(t.table().database() + "." + t.table().table(), t.size(), newest, nowMs);
        }
    }

    /** The group's offsets mirror the stored ones, for Kafka's own lag tools; the loader never starts from them. */
    private void commitHint(Batch ready) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        ready.offsets().forEach((p, range) -> offsets.put(p, new OffsetAndMetadata(range.next())));
        consumer.commitAsync(offsets, (committed, e) -> {
            if (e != null) {
                log.debug("Worker {}: group offset hint not committed: {}", id, e.toString());
            }
        });
    }

    private void recordLag() {
        for (TopicPartition p : positions.keySet()) {
            consumer.currentLag(p).ifPresent(lag -> stats.lag(p, lag));
        }
    }

    /** Within poll: a partition taken away first gets what was read of it applied. */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        applyBatch();
        forget(partitions);
    }

    /** Within poll: partitions lost without a chance to apply (this worker was too slow): drop what was read. */
    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        batch.clear();
        forget(partitions);
        seekToStored(positions.keySet());
    }

    /** Within poll: each new partition starts from the offset stored in the target. */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        seekToStored(partitions);
    }

    private void seekToStored(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<TopicPartition> owned = List.copyOf(partitions);
        Map<TopicPartition, Long> stored = session.storedOffsets(owned);
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(owned);
        Map<TopicPartition, Long> ends = consumer.endOffsets(owned);
        for (TopicPartition p : owned) {
            long start = stored.getOrDefault(p, 0L);
            requireLoadable(p, start, stored.containsKey(p), beginnings.get(p), ends.get(p));
            consumer.seek(p, start);
            positions.put(p, start);
        }
        log.info("Worker {}: loading {} partition(s) from the offsets stored in the target", id, owned.size());
    }

    /**
     * The partition must still hold everything after the stored offset: changes the topic's retention deleted before
     * they were loaded are lost to the target, and a topic created again is not the one the target was loaded from.
     */
    private void requireLoadable(TopicPartition p, long start, boolean stored, long beginning, long end) {
        if (end < start) {
            throw new SluiceException(
                    ExitCode.POSITION_LOST,
                    "Partition " + p + " ends at offset " + end + " but the target holds it up to offset " + start
                            + ": the topic was deleted and created again since the target was loaded. Load it into a "
                            + "new target schema, or drop the target's tables and _sluice_offsets rows of this topic.");
        }
        if (beginning > start) {
            throw new SluiceException(
                    ExitCode.POSITION_LOST,
                    "Partition " + p + " starts at offset " + beginning + " but the target holds it up to offset "
                            + start + (stored ? "" : " (never loaded)") + ": the topic's retention deleted changes "
                            + "the target never received. Copy the table again (sluice snapshot --table ...) and "
                            + "load it into a new target table, or raise the change topics' retention.ms.");
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> {
            positions.remove(p);
            stats.lag(p, -1);
        });
    }

    private static int size(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
