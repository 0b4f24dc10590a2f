package dev.sluice.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a table topic from the beginning with a {@code read_committed} consumer (what exactly-once promises to) and
 * computes the same {@link RowChecksum} as the source: the count of records and the sum of CRC32 of the
 * {@code after} image's columns (for {@code bench.rows}: {@code id:payload}). Also counts distinct ids, so a
 * duplicate cannot hide behind a missing row, records of another operation than expected, and the key and value
 * bytes Kafka carried.
 */
public final class DrainVerifier {
    private static final JsonFactory JSON = new JsonFactory();

    private DrainVerifier() {
    }

    /**
     * What every record of the topic should be: operation {@code op} with an {@code after} image whose columns, in
     * this order, make up the checksum. The first column is the integer id, 1 to maxId. The {@code numbers} are JSON
     * numbers (integer columns, docs/types.md), every other column a JSON string; null is allowed in any.
     */
    public record Shape(String op, List<String> columns, Set<String> numbers) {
        /** The pipeline bench's backlog: inserts into {@code bench.rows}. */
        public static final Shape BACKLOG_INSERTS = new Shape("c", List.of("id", "payload"), Set.of("id"));
    }

    /**
     * What the topic holds; {@code otherOps} counts records without the expected op or an after image,
     * {@code wrongTypes} records with a cell of the wrong JSON type (a number written as a string, or the reverse),
     * which the checksum of the cells' text alone would not see.
     */
    public record Seen(RowChecksum checksum, long distinctIds, long otherOps, long wrongTypes, long keyBytes,
                       long valueBytes) {
        public long payloadBytes() {
            return keyBytes + valueBytes;
        }
    }

    public static Seen read(String bootstrapServers, String topic, long maxId) {
        return read(bootstrapServers, topic, maxId, Shape.BACKLOG_INSERTS);
    }

    public static Seen read(String bootstrapServers, String topic, long maxId, Shape shape) {
        Tally tally = new Tally(maxId, shape);
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
    static final class Tally {
        private final BitSet ids;
        private final long maxId;
        private final Shape shape;
        private final Map<String, Integer> columnIndex = new HashMap<>();
        private final boolean[] number;
        private boolean wrongType;
        private long count;
        private long sum;
        private long distinct;
        private long otherOps;
        private long wrongTypes;
        private long keyBytes;
        private long valueBytes;

        Tally(long maxId, Shape shape) {
            this.maxId = maxId;
            this.shape = shape;
            this.ids = new BitSet((int) Math.min(Integer.MAX_VALUE, maxId + 1));
            this.number = new boolean[shape.columns().size()];
            for (int i = 0; i < shape.columns().size(); i++) {
                columnIndex.put(shape.columns().get(i), i);
                number[i] = shape.numbers().contains(shape.columns().get(i));
            }
        }

        void add(byte[] key, byte[] value) {
            count++;
            keyBytes += key == null ? 0 : key.length;
            if (value == null) {
                otherOps++;
                return;
            }
            valueBytes += value.length;
            Row row = parse(value);
            if (!shape.op().equals(row.op) || row.cells == null) {
                otherOps++;
                return;
            }
            sum += RowChecksum.of(row.cells);
            wrongTypes += wrongType ? 1 : 0;
            long id = parseId(row.cells[0]);
            if (id >= 1 && id <= maxId && !ids.get((int) id)) {
                ids.set((int) id);
                distinct++;
            }
        }

        Seen result() {
            return new Seen(new RowChecksum(count, sum), distinct, otherOps, wrongTypes, keyBytes, valueBytes);
        }

        private static long parseId(String text) {
            try {
                return text == null ? -1 : Long.parseLong(text);
            } catch (NumberFormatException notAnId) {
                return -1;
            }
        }

        /**
         * Streams through the envelope for {@code op} and the shape's columns of {@code after} (each as its JSON
         * text: a number's literal, a string's content, null for null); skips the rest.
         */
        private Row parse(byte[] value) {
            String op = null;
            String[] cells = null;
            wrongType = false;
            try (JsonParser p = JSON.createParser(value)) {
                p.nextToken();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken token = p.nextToken();
                    if (field.equals("op")) {
                        op = p.getText();
                    } else if (field.equals("after") && token == JsonToken.START_OBJECT) {
                        cells = new String[columnIndex.size()];
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            Integer index = columnIndex.get(p.currentName());
                            JsonToken cell = p.nextToken();
                            if (index == null) {
                                p.skipChildren();
                            } else if (cell.isStructStart()) {
                                // An object or array is never a scalar column's text: make the checksum differ.
                                cells[index] = "{structured}";
                                p.skipChildren();
                            } else if (cell != JsonToken.VALUE_NULL) {
                                cells[index] = p.getText();
                                wrongType |= number[index] != cell.isNumeric();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Unreadable row change in the table topic", e);
            }
            return new Row(op, cells);
        }
    }

    private record Row(String op, String[] cells) {
    }
}
