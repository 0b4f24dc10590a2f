package dev.sluice.bench;

import dev.sluice.event.ChangeEvent;
import dev.sluice.event.EnvelopeDecoder;
import dev.sluice.kafka.ChangeConsumer;
import dev.sluice.testkit.RowChecksum;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads table topics from the beginning with a {@code read_committed} consumer (what exactly-once promises to):
 * {@link #readTopics} hands every record to a handler (the workload check's {@link TableRebuild}); {@link #read}
 * tallies a topic of one operation (a snapshot's {@code r} records) into the same {@link RowChecksum} as the source:
 * the count of records and the sum of CRC32 of the {@code after} image's columns. The tally also counts distinct
 * ids, so a duplicate cannot hide behind a missing row, records of another operation than expected, and the key and
 * value bytes Kafka carried.
 */
public final class DrainVerifier {
    private DrainVerifier() {}

    /**
     * What every record of the topic should be: operation {@code op} with an {@code after} image whose columns, in
     * this order, make up the checksum. The first column is the integer id, 1 to maxId. The {@code numbers} are JSON
     * numbers (integer columns, docs/types.md), every other column a JSON string; null is allowed in any.
     */
    public record Shape(String op, List<String> columns, Set<String> numbers) {}

    /**
     * What the topic holds; {@code otherOps} counts records without the expected op or an after image,
     * {@code wrongTypes} records with a cell of the wrong JSON type (a number written as a string, or the reverse),
     * which the checksum of the cells' text alone would not see.
     */
    public record Seen(
            RowChecksum checksum, long distinctIds, long otherOps, long wrongTypes, long keyBytes, long valueBytes) {
        public long payloadBytes() {
            return keyBytes + valueBytes;
        }
    }

    public static Seen read(String bootstrapServers, String topic, long maxId, Shape shape) {
        Tally tally = new Tally(topic, maxId, shape);
        readTopics(bootstrapServers, List.of(topic), (index, key, value) -> tally.add(key, value));
        return tally.result();
    }

    /** Receives every record of the topics read, with the index of its topic in the list given. */
    @FunctionalInterface
    public interface RecordHandler {
        void accept(int topic, byte[] key, byte[] value);
    }

    /**
     * Reads every committed record of {@code topics} from the beginning with a read_committed consumer, up to the end
     * offsets (last stable offsets) at the time it starts, and hands each to {@code handler}: per partition in
     * offset order, the partitions interleaved.
     */
    public static void readTopics(String bootstrapServers, List<String> topics, RecordHandler handler) {
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < topics.size(); i++) {
            index.put(topics.get(i), i);
        }
        try (KafkaConsumer<byte[], byte[]> consumer =
                readCommittedBytes(bootstrapServers, 5000).open()) {
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .forEach(partitions::add);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed, the end offsets are the last stable offsets: everything committed.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (!reachedEnd(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    handler.accept(index.get(r.topic()), r.key(), r.value());
                }
            }
        }
    }

    /** Whether the consumer's position has reached {@code end} on every partition. */
    static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** A read_committed byte-array consumer with large fetches, for reading a whole topic back quickly. */
    static ChangeConsumer.Builder readCommittedBytes(String bootstrapServers, int maxPollRecords) {
        return ChangeConsumer.of(bootstrapServers)
                .property("max.poll.records", maxPollRecords)
                .property("fetch.max.bytes", 67108864)
                .property("max.partition.fetch.bytes", 16777216);
    }

    /** Running totals over the records read. */
    static final class Tally {
        private final BitSet ids;
        private final long maxId;
        private final Shape shape;
        private final EnvelopeDecoder decoder = new EnvelopeDecoder();
        private final List<CheckedColumn> columns;
        private long count;
        private long sum;
        private long distinct;
        private long otherOps;
        private long wrongTypes;
        private long keyBytes;
        private long valueBytes;

        private final String topic;

        Tally(long maxId, Shape shape) {
            this("test", maxId, shape);
        }

        Tally(String topic, long maxId, Shape shape) {
            this.topic = topic;
            this.maxId = maxId;
            this.shape = shape;
            this.ids = new BitSet((int) Math.min(Integer.MAX_VALUE, maxId + 1));
            this.columns = shape.columns().stream()
                    .map(c -> shape.numbers().contains(c) ? CheckedColumn.integer(c) : CheckedColumn.text(c))
                    .toList();
        }

        void add(byte[] key, byte[] value) {
            count++;
            keyBytes += key == null ? 0 : key.length;
            if (value == null) {
                otherOps++;
                return;
            }
            valueBytes += value.length;
            ChangeEvent event = decoder.decode(topic, key, value);
            if (!shape.op().equals(event.op().code()) || event.after() == null) {
                otherOps++;
                return;
            }
            CheckedColumn.Cells after = CheckedColumn.cells(event.after(), columns);
            sum += RowChecksum.of(after.text());
            wrongTypes += after.wrongType() ? 1 : 0;
            long id = parseId(after.text()[0]);
            if (id >= 1 && id <= maxId && !ids.get((int) id)) {
                ids.set((int) id);
                distinct++;
            }
        }

        Seen result() {
            return new Seen(new RowChecksum(count, sum), distinct, otherOps, wrongTypes, keyBytes, valueBytes);
        }

        static long parseId(String text) {
            try {
                return text == null ? -1 : Long.parseLong(text);
            } catch (NumberFormatException notAnId) {
                return -1;
            }
        }
    }
}
