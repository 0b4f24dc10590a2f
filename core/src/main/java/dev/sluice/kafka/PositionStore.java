package dev.sluice.kafka;

import dev.sluice.config.SluiceConfig;
import dev.sluice.position.BinlogPosition;
import dev.sluice.position.Checkpoint;
import dev.sluice.position.PositionJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the last committed position of a pipeline from the compacted position topic with a
 * {@code read_committed} consumer. Called after {@code initTransactions()}, so any transaction an earlier instance
 * left open is already aborted and cannot hide behind the last stable offset.
 */
public final class PositionStore {
    private PositionStore() {}

    public static Optional<BinlogPosition> readCommitted(
            SluiceConfig.Kafka kafka, TopicNames names, String pipelineName) {
        return readCheckpoint(kafka, names, pipelineName).map(Checkpoint::position);
    }

    public static Optional<Checkpoint> readCheckpoint(SluiceConfig.Kafka kafka, TopicNames names, String pipelineName) {
        byte[] key = pipelineName.getBytes(StandardCharsets.UTF_8);
        TopicPartition partition = new TopicPartition(names.positions(), 0);
        try (KafkaConsumer<byte[], byte[]> consumer = ChangeConsumer.of(kafka).open()) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Map<TopicPartition, Long> end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30));
            long endOffset = end.get(partition);
            byte[] last = null;
            while (consumer.position(partition, Duration.ofSeconds(30)) < endOffset) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && Arrays.equals(record.key(), key)) {
                        last = record.value();
                    }
                }
            }
            return last == null ? Optional.empty() : Optional.of(PositionJson.readCheckpoint(last));
        }
    }
}
