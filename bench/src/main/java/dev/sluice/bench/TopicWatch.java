package dev.sluice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until one-partition topics hold a number of records. {@link #awaitRecords} polls the sum of their end offsets
 * (the high watermark: records every in-sync replica has, i.e. what acks=all acknowledged and a consumer can read):
 * the peer's producer is not transactional, so this is the moment a consumer could see the whole backlog, as
 * {@link CommitWatch} is for Sluice. {@link #awaitCommittedRecords} counts what a {@code read_committed} consumer
 * receives from the first topic instead, for Sluice's transactional writes, whose commit markers also take offsets.
 */
final class TopicWatch implements AutoCloseable {
    private static final long POLL_MS = 20;

    private final String bootstrapServers;
    private final Admin admin;
    private final TopicPartition partition;
    private final List<TopicPartition> partitions;
    private final java.util.Set<TopicPartition> existing = new java.util.HashSet<>();
    private KafkaConsumer<byte[], byte[]> consumer;

    TopicWatch(String bootstrapServers, String topic) {
        this(bootstrapServers, List.of(topic));
    }

    TopicWatch(String bootstrapServers, List<String> topics) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(props);
        this.partitions = topics.stream().map(t -> new TopicPartition(t, 0)).toList();
        this.partition = partitions.get(0);
    }

    /** The wall-clock time at which the topics were first seen holding at least {@code records} together. */
    long awaitRecords(long records, Duration timeout, BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("The peer exited before " + topicsText() + " held " + records
                        + " records (they held " + seen + ")");
            }
            seen = endOffset();
            if (seen >= records) {
                return System.currentTimeMillis();
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException(
                topicsText() + " held " + seen + " of " + records + " records after " + timeout.toSeconds() + " s");
    }

    private String topicsText() {
        return partitions.size() == 1
                ? partition.topic()
                : partitions.size() + " topics " + partition.topic() + ", ...";
    }

    /**
     * What a read_committed consumer of the topic saw: when it first received a record, the Kafka timestamp of that
     * record (CreateTime: when the producer sent it, on the same machine's clock), when it had received
     * {@code records}, and how many it had at each moment ({@code timeline}: wall-clock ms and records, about one a
     * second). Commits may come in bursts, so the time a record became visible says little about when it was sent.
     */
    record Arrival(long firstSeenMs, long firstSentMs, long lastSeenMs, long records, List<long[]> timeline) {
        /** Records per second from the first record sent to the last one visible: the producer's start-up left out. */
        double recordsPerSecondSinceFirstSent() {
            double seconds = (lastSeenMs - firstSentMs) / 1000.0;
            return seconds > 0 ? records / seconds : Double.NaN;
        }
    }

    /**
     * Starts the read_committed consumer of {@link #awaitCommittedRecords} and connects it, before the system under
     * test is launched: a consumer that starts late (class loading, connecting, a cold JIT) would first catch up on
     * records committed long before it saw them, and time that too.
     */
    void startConsumer() {
        consumer = DrainVerifier.readCommittedBytes(bootstrapServers, 10_000)
                .property("fetch.max.wait.ms", 20)
                .open();
        consumer.listTopics(Duration.ofSeconds(30));
    }

    /**
     * Counts the records a read_committed consumer receives from the start of the topic until it has {@code records};
     * only counts, so the harness takes little CPU from the system under test while it runs.
     */
    Arrival awaitCommittedRecords(long records, Duration timeout, BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (consumer == null) {
            startConsumer();
        }
        // Assign only once the topic exists, so the consumer never warns about a missing one.
        while (!consumer.listTopics(Duration.ofSeconds(5)).containsKey(partition.topic())) {
            requireAlive(alive, records, 0);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        partition.topic() + " was not created within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(POLL_MS);
        }
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long seen = 0;
        long first = 0;
        long firstSent = 0;
        List<long[]> timeline = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            requireAlive(alive, records, seen);
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(100));
            int n = polled.count();
            long now = System.currentTimeMillis();
            if (n > 0 && first == 0) {
                first = now;
                // One producer writes the partition, so its first record is the first one sent.
                firstSent = polled.iterator().next().timestamp();
            }
            seen += n;
            if (n > 0 && (timeline.isEmpty() || now - timeline.get(timeline.size() - 1)[0] >= 1000)) {
                timeline.add(new long[] {now, seen});
            }
            if (seen >= records) {
                timeline.add(new long[] {now, seen});
                return new Arrival(first, firstSent, now, seen, timeline);
            }
        }
        throw new IllegalStateException(partition.topic() + " held " + seen + " of " + records
                + " committed records after " + timeout.toSeconds() + " s");
    }

    private void requireAlive(BooleanSupplier alive, long records, long seen) {
        if (!alive.getAsBoolean()) {
            throw new IllegalStateException("The process under test exited before " + partition.topic() + " held "
                    + records + " committed records (" + seen + " seen)");
        }
    }

    /**
     * The sum of the end offsets of the topics that exist (asked first: listing offsets of a missing topic logs
     * errors); 0 until one does.
     */
    private long endOffset() throws InterruptedException {
        try {
            if (existing.size() < partitions.size()) {
                java.util.Set<String> names = admin.listTopics().names().get(5, TimeUnit.SECONDS);
                partitions.stream().filter(p -> names.contains(p.topic())).forEach(existing::add);
                if (existing.isEmpty()) {
                    return 0;
                }
            }
            ListOffsetsResult result = admin.listOffsets(
                    existing.stream().collect(java.util.stream.Collectors.toMap(p -> p, p -> OffsetSpec.latest())));
            long sum = 0;
            for (TopicPartition p : existing) {
                sum += result.partitionResult(p).get(5, TimeUnit.SECONDS).offset();
            }
            return sum;
        } catch (ExecutionException | TimeoutException notYet) {
            return 0;
        }
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
        admin.close(Duration.ofSeconds(5));
    }
}
