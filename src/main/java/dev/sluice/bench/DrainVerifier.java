package dev.sluice.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a table topic from the beginning with a {@code read_committed} consumer (what exactly-once promises to) and
 * computes the same {@link RowChecksum} as the source: the count of records and the sum of CRC32 of
 * {@code id:payload} of each {@code after} image. Also counts distinct ids, so a duplicate cannot hide behind a
 * missing row, and the key and value bytes Kafka carried.
 */
public final class DrainVerifier {
    private static final JsonFactory JSON = new JsonFactory();

    private DrainVerifier() {
    }

    /** What the topic holds. */
    public record Seen(RowChecksum checksum, long distinctIds, long notInserts, long keyBytes, long valueBytes) {
        public long payloadBytes() {
            return keyBytes + valueBytes;
        }
    }

    public static Seen read(String bootstrapServers, String topic, long maxId) {
        Tally tally = new Tally(maxId);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties(bootstrapServers))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed, the end offsets are the last stable offsets: everything committed.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (!reachedEnd(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    tally.add(r.key(), r.value());
                }
            }
        }
        return tally.result();
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

    private static Properties properties(String bootstrapServers) {
        return readCommittedBytes(bootstrapServers, 5000);
    }

    /** A read_committed byte-array consumer with large fetches, for reading a whole topic back quickly. */
    static Properties readCommittedBytes(String bootstrapServers, int maxPollRecords) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("max.poll.records", Integer.toString(maxPollRecords));
        props.put("fetch.max.bytes", "67108864");
        props.put("max.partition.fetch.bytes", "16777216");
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return props;
    }

    /** Running totals over the records read. */
    private static final class Tally {
        private final BitSet ids;
        private final long maxId;
        private long count;
        private long sum;
        private long distinct;
        private long notInserts;
        private long keyBytes;
        private long valueBytes;

        Tally(long maxId) {
            this.maxId = maxId;
            this.ids = new BitSet((int) Math.min(Integer.MAX_VALUE, maxId + 1));
        }

        void add(byte[] key, byte[] value) {
            count++;
            keyBytes += key == null ? 0 : key.length;
            if (value == null) {
                notInserts++;
                return;
            }
            valueBytes += value.length;
            Row row = parse(value);
            if (!"c".equals(row.op) || row.payload == null) {
                notInserts++;
                return;
            }
            sum += RowChecksum.of(row.id, row.payload);
            if (row.id >= 1 && row.id <= maxId && !ids.get((int) row.id)) {
                ids.set((int) row.id);
                distinct++;
            }
        }

        Seen result() {
            return new Seen(new RowChecksum(count, sum), distinct, notInserts, keyBytes, valueBytes);
        }
    }

    private record Row(String op, long id, String payload) {
    }

    /** Streams through the envelope for {@code op} and {@code after.id}/{@code after.payload}; skips the rest. */
    private static Row parse(byte[] value) {
        String op = null;
        long id = -1;
        String payload = null;
        try (JsonParser p = JSON.createParser(value)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                if (field.equals("op")) {
                    op = p.getText();
                } else if (field.equals("after") && token == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String column = p.currentName();
                        p.nextToken();
                        if (column.equals("id")) {
                            id = p.getLongValue();
                        } else if (column.equals("payload")) {
                            payload = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable row change in the table topic", e);
        }
        return new Row(op, id, payload);
    }
}
