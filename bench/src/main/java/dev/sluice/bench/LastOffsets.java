package dev.sluice.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Per partition of finished topics, the offset after its last record: where a loader that has loaded everything
 * stands. The end offset is not it: a transactional topic ends with a commit marker, which no consumer receives.
 */
final class LastOffsets {
    private static final int TAIL = 16;

    private LastOffsets() {}

    static Map<TopicPartition, Long> of(String bootstrapServers, List<String> topics) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        Map<TopicPartition, Long> next = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(i -> next.put(
                                new TopicPartition(topic, i.partition()),
                                afterLast(consumer, new TopicPartition(topic, i.partition()))));
            }
        }
        return next;
    }

    /** Reads the partition's last few offsets (all of it if they hold no record) and returns the last record's + 1. */
    private static long afterLast(KafkaConsumer<byte[], byte[]> consumer, TopicPartition p) {
        consumer.assign(List.of(p));
        long end = consumer.endOffsets(List.of(p)).get(p);
        for (long from = Math.max(0, end - TAIL); ; from = 0) {
            consumer.seek(p, from);
            long last = -1;
            while (consumer.position(p) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    last = Math.max(last, r.offset());
                }
            }
            if (last >= 0 || from == 0) {
                return last + 1;
            }
        }
    }
}
