package dev.sluice.peer.debezium;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each batch of change events the engine hands over, the way Debezium Server's Kafka sink does: send every
 * record of the batch to its destination topic (one topic per table, named by Debezium), wait until Kafka has
 * acknowledged all of them, then mark them processed so the engine may commit their offsets. A topic is created (1
 * partition, replication factor 1, like Sluice's) the first time a record is addressed to it, as Kafka Connect's
 * topic creation would.
 */
final class KafkaPublisher implements DebeziumEngine.ChangeConsumer<ChangeEvent<byte[], byte[]>> {
    private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    private final String tableTopicPrefix;
    private final long expected;
    private final Set<String> knownTopics = new HashSet<>();
    private final AtomicLong tableAcked = new AtomicLong();
    private final AtomicLong otherAcked = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile long firstAckMs;
    private volatile long drainedAtMs;

    /**
     * Counts the acknowledged records of topics whose names start with {@code tableTopicPrefix} (the table topics,
     * {@code <topic.prefix>.}) and reports when they reach {@code expected}.
     */
    KafkaPublisher(KafkaProducer<byte[], byte[]> producer, Properties producerConfig, String tableTopicPrefix,
                   long expected) {
        this.producer = producer;
        Properties adminConfig = new Properties();
        adminConfig.put("bootstrap.servers", producerConfig.getProperty("bootstrap.servers"));
        this.admin = Admin.create(adminConfig);
        this.tableTopicPrefix = tableTopicPrefix;
        this.expected = expected;
    }

    @Override
    public void handleBatch(List<ChangeEvent<byte[], byte[]>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> committer)
            throws InterruptedException {
        CountDownLatch acked = new CountDownLatch(records.size());
        for (ChangeEvent<byte[], byte[]> record : records) {
            ensureTopic(record.destination());
            producer.send(new ProducerRecord<>(record.destination(), record.key(), record.value()),
                    (metadata, error) -> {
                        onAck(record.destination(), error);
                        acked.countDown();
                    });
        }
        acked.await();
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("Kafka did not acknowledge a record: " + error, error);
        }
        for (ChangeEvent<byte[], byte[]> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
    }

    private void onAck(String topic, Exception error) {
        if (error != null) {
            failure.compareAndSet(null, error);
            return;
        }
        if (firstAckMs == 0) {
            firstAckMs = System.currentTimeMillis();
        }
        if (!topic.startsWith(tableTopicPrefix)) {
            otherAcked.incrementAndGet();
        } else if (tableAcked.incrementAndGet() == expected) {
            drainedAtMs = System.currentTimeMillis();
            System.out.println("PEER-DRAINED " + drainedAtMs + " " + expected);
            System.out.flush();
        }
    }

    private void ensureTopic(String topic) {
        if (knownTopics.contains(topic)) {
            return;
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            log.info("Created topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Timed out creating topic " + topic, e);
        }
        knownTopics.add(topic);
    }

    /** One line of JSON for the harness: what was acknowledged, and when. */
    String summary() {
        return String.format("{\"table_topics_acked\":%d,\"other_topics_acked\":%d,\"first_ack_ms\":%d,"
                + "\"drained_at_ms\":%d,\"topics\":\"%s\"}", tableAcked.get(), otherAcked.get(), firstAckMs,
                drainedAtMs, String.join(",", knownTopics));
    }
}
