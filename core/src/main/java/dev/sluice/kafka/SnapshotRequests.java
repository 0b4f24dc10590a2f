package dev.sluice.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.SluiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Requests to copy a table while a pipeline runs ({@code sluice snapshot --table}), carried by the topic
 * {@code <prefix>._snapshot_requests} and keyed by pipeline name. The running pipeline reads them from the offset
 * its committed position records and commits the new offset with the next Kafka transaction, so each request is
 * taken exactly once, even across a crash; a request sent while the pipeline is down is taken when it starts.
 */
public final class SnapshotRequests implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_INTERVAL_MS = 1_000;

    private final SluiceConfig.Kafka kafka;
    private final TopicPartition partition;
    private final byte[] pipelineKey;
    private KafkaConsumer<byte[], byte[]> consumer;
    private long lastPollMs = Long.MIN_VALUE / 2;
    private long expectedOffset = -1;

    /** One request: copy {@code database.table}, optionally only rows matching {@code where}. */
    public record Request(String database, String table, String where, long requestedAtMs) {}

    /** A request read from the topic, and the offset to continue from after it. */
    public record Received(Request request, long nextOffset) {}

    public SnapshotRequests(SluiceConfig.Kafka kafka, TopicNames names, String pipelineName) {
        this.kafka = kafka;
        this.partition = new TopicPartition(names.snapshotRequests(), 0);
        this.pipelineKey = pipelineName.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends a request; returns its offset. Used by the CLI, not the pipeline. */
    public static long send(SluiceConfig.Kafka kafka, TopicNames names, String pipelineName, Request request) {
        Properties props = KafkaClients.base(kafka);
        props.put("enable.idempotence", "true");
        props.put("acks", "all");
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        ObjectNode value = JSON.createObjectNode();
        value.put("database", request.database());
        value.put("table", request.table());
        value.put("where", request.where());
        value.put("requested_at_ms", request.requestedAtMs());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(
                            names.snapshotRequests(),
                            0,
                            pipelineName.getBytes(StandardCharsets.UTF_8),
                            JSON.writeValueAsBytes(value)))
                    .get();
            return sent.offset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending the snapshot request", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(
                    "Kafka did not accept the snapshot request: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * This pipeline's requests after {@code fromOffset}, at most once a second (an empty list otherwise), without
     * blocking the stream.
     */
    public List<Received> poll(long fromOffset, long nowMs) {
        if (nowMs - lastPollMs < POLL_INTERVAL_MS) {
            return List.of();
        }
        lastPollMs = nowMs;
        if (consumer == null) {
            // From the earliest record when the stored offset is gone (compacted away or the topic recreated).
            consumer = ChangeConsumer.of(kafka)
                    .property("auto.offset.reset", "earliest")
                    .open();
            consumer.assign(List.of(partition));
        }
        if (fromOffset != expectedOffset) {
            consumer.seek(partition, fromOffset);
        }
        List<Received> received = new ArrayList<>();
        long next = fromOffset;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ZERO)) {
            next = record.offset() + 1;
            Request request = Arrays.equals(record.key(), pipelineKey) ? parse(record.value()) : null;
            received.add(new Received(request, next));
        }
        expectedOffset = next;
        return received;
    }

    private static Request parse(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            return new Request(
                    node.get("database").asText(),
                    node.get("table").asText(),
                    node.path("where").asText(""),
                    node.path("requested_at_ms").asLong());
        } catch (IOException | NullPointerException e) {
            return null; // not a request Sluice wrote: skipped (the offset still advances)
        }
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
