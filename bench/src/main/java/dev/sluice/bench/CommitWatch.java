package dev.sluice.bench;

import dev.sluice.kafka.ChangeConsumer;
import dev.sluice.position.BinlogPosition;
import dev.sluice.position.MariaDbGtidSet;
import dev.sluice.position.MariaDbGtidSet.Gtid;
import dev.sluice.position.PositionJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches the pipeline's commits as a consumer sees them: a {@code read_committed} consumer of the position topic
 * that records every committed position of one pipeline, until one contains a given GTID. A position record is
 * written in the same Kafka transaction as the events it covers, so once it is visible, so are they.
 */
public final class CommitWatch implements AutoCloseable {
    private final String bootstrapServers;
    private final String topic;
    private final byte[] pipelineKey;
    private final List<Commit> commits = new ArrayList<>();
    private KafkaConsumer<byte[], byte[]> consumer;

    /**
     * One committed position: when this harness saw it, when the pipeline wrote it ({@code committed_at_ms}, taken
     * just before the commit), the GTID sequence number it reached in the bench server's domain, and, for a position
     * inside a source transaction that Sluice committed in parts (pipeline.max-transaction-events), that
     * transaction's GTID and how many of its row events the commit covers ({@code partialGtid} null otherwise).
     */
    public record Commit(long seenAtMs, long committedAtMs, long sequence, String partialGtid, long partialEvents) {
        public Commit(long seenAtMs, long committedAtMs, long sequence) {
            this(seenAtMs, committedAtMs, sequence, null, 0);
        }
    }

    public CommitWatch(String bootstrapServers, String positionTopic, String pipelineName) {
        this.bootstrapServers = bootstrapServers;
        this.topic = positionTopic;
        this.pipelineKey = pipelineName.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Polls until a committed position contains {@code last}; returns the commit that did. Fails when
     * {@code alive} turns false (the pipeline exited) or the timeout passes.
     */
    public Commit awaitGtid(Gtid last, Duration timeout, BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitTopic(deadline, alive);
        while (System.nanoTime() < deadline) {
            requireAlive(alive);
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.key() != null && Arrays.equals(r.key(), pipelineKey) && r.value() != null) {
                    Commit commit = record(r.value(), last.domain());
                    if (commit.sequence() >= last.sequence()) {
                        return commit;
                    }
                }
            }
        }
        throw new IllegalStateException("The pipeline did not commit GTID " + last + " within " + timeout.toSeconds()
                + " s; last commit seen: " + (commits.isEmpty() ? "none" : commits.get(commits.size() - 1)));
    }

    public List<Commit> commits() {
        return List.copyOf(commits);
    }

    /** The pipeline creates the topic; assign only once it exists, so the consumer never warns about it. */
    private void awaitTopic(long deadline, BooleanSupplier alive) throws InterruptedException {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            while (!topics(admin).contains(topic)) {
                requireAlive(alive);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The pipeline did not create " + topic + " in time");
                }
                Thread.sleep(50);
            }
        }
        // Return as soon as a commit is visible rather than after the default 500 ms wait.
        consumer = ChangeConsumer.of(bootstrapServers)
                .property("fetch.max.wait.ms", 20)
                .open();
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    private Commit record(byte[] value, long domain) {
        long seenAt = System.currentTimeMillis();
        PositionJson.Stored stored = PositionJson.readStored(value);
        BinlogPosition position = stored.checkpoint().position();
        // Only complete transactions count; a position inside a split transaction names the ones before it.
        Gtid last = position.gtids() instanceof MariaDbGtidSet gtids ? gtids.last(domain) : null;
        Commit commit = new Commit(
                seenAt,
                stored.committedAtMs(),
                last == null ? 0 : last.sequence(),
                position.partialGtid(),
                position.partialEvents());
        commits.add(commit);
        return commit;
    }

    private static Set<String> topics(Admin admin) throws InterruptedException {
        try {
            return admin.listTopics().names().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException notYet) {
            return Set.of();
        }
    }

    private static void requireAlive(BooleanSupplier alive) {
        if (!alive.getAsBoolean()) {
            throw new IllegalStateException("The pipeline process exited before draining the backlog");
        }
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
