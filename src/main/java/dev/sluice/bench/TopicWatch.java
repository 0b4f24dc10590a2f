package dev.sluice.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a one-partition topic holds a number of records, by polling its end offset (the high watermark: records
 * every in-sync replica has, i.e. what acks=all acknowledged and a consumer can read). The peer's producer is not
 * transactional, so this is the moment a consumer could see the whole backlog, as {@link CommitWatch} is for Sluice.
 */
final class TopicWatch implements AutoCloseable {
    private static final long POLL_MS = 20;

    private final Admin admin;
    private final TopicPartition partition;
    private boolean exists;

    TopicWatch(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        this.admin = Admin.create(props);
        this.partition = new TopicPartition(topic, 0);
    }

    /** The wall-clock time at which the topic was first seen holding at least {@code records}. */
    long awaitRecords(long records, Duration timeout, BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("The peer exited before " + partition.topic() + " held " + records
                        + " records (it held " + seen + ")");
            }
            seen = endOffset();
            if (seen >= records) {
                return System.currentTimeMillis();
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException(partition.topic() + " held " + seen + " of " + records + " records after "
                + timeout.toSeconds() + " s");
    }

    /** 0 while the topic does not exist yet (asked first: listing offsets of a missing topic logs errors). */
    private long endOffset() throws InterruptedException {
        try {
            if (!exists) {
                exists = admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(partition.topic());
                if (!exists) {
                    return 0;
                }
            }
            ListOffsetsResult result = admin.listOffsets(Map.of(partition, OffsetSpec.latest()));
            return result.partitionResult(partition).get(5, TimeUnit.SECONDS).offset();
        } catch (ExecutionException | TimeoutException notYet) {
            return 0;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
