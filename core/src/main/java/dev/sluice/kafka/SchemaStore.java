package dev.sluice.kafka;

import dev.sluice.config.SluiceConfig;
import dev.sluice.schema.SchemaVersion;
import dev.sluice.schema.TableSchemaJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads every committed table schema version from {@code <prefix>._schemas} with a {@code read_committed}
 * consumer. Like {@link PositionStore}, called after {@code initTransactions()}, so a transaction an earlier instance
 * left open is already aborted and cannot hide versions behind the last stable offset.
 */
public final class SchemaStore {
    private SchemaStore() {}

    public static List<SchemaVersion> readCommitted(SluiceConfig.Kafka kafka, TopicNames names) {
        TopicPartition partition = new TopicPartition(names.schemas(), 0);
        List<SchemaVersion> versions = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = ChangeConsumer.of(kafka).open()) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Map<TopicPartition, Long> end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30));
            long endOffset = end.get(partition);
            while (consumer.position(partition, Duration.ofSeconds(30)) < endOffset) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        versions.add(TableSchemaJson.read(record.value()));
                    }
                }
            }
        }
        return versions;
    }
}
