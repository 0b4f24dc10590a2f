package dev.sluice.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The check of a producer run: a {@code read_committed} consumer reads the topic from the start and counts the
 * records and those whose value is not {@code recordSize} bytes. The payloads are random (the official tool does
 * not say which), so the check is count and size, not a checksum.
 */
public final class TopicCheck {
    private TopicCheck() {}

    /** What a topic holds, against what was sent. */
    public record Seen(long expected, long records, long wrongSize) {
        public boolean ok() {
            return records == expected && wrongSize == 0;
        }

        public String describe() {
            return (ok() ? "OK " : "FAIL ") + records + " of " + expected + " records"
                    + (wrongSize > 0 ? ", " + wrongSize + " of the wrong size" : "");
        }
    }

    public static Seen read(String bootstrapServers, String topic, long expected, int recordSize) {
        long records = 0;
        long wrongSize = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                DrainVerifier.readCommittedBytes(bootstrapServers, 10000).open()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed, the end offsets are the last stable offsets: everything committed.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (!DrainVerifier.reachedEnd(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    wrongSize += r.value() == null || r.value().length != recordSize ? 1 : 0;
                }
            }
        }
        return new Seen(expected, records, wrongSize);
    }
}
