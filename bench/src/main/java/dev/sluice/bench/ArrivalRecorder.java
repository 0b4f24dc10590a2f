package dev.sluice.bench;

import dev.sluice.kafka.ChangeConsumer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The end consumer of the latency run: a {@code read_committed} consumer of one table topic on its own thread that
 * notes, for every row id of an {@link OpenLoopLoad.Schedule}, the {@link System#nanoTime()} at which the poll that
 * returned it came back. It starts at the topic's end, so it sees only what is written after it was positioned.
 * A consumer a user would run: Kafka's defaults except read_committed (exactly-once readers need it). It also
 * keeps each row's record timestamp: Kafka's CreateTime, which Sluice's producer sets (wall clock, ms) when the
 * pipeline hands it the record, so a row's latency splits into Sluice reading it and Kafka making it readable.
 */
final class ArrivalRecorder implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final OpenLoopLoad.Schedule schedule;
    private final long[] arrivalNs;
    private final long[] sentEpochMs;
    private final CountDownLatch allArrived = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stop;
    private volatile RuntimeException failure;
    private long arrived;
    private long duplicates;
    private long foreign;

    /** Positions a consumer at the end of {@code topic} (partition 0); call {@link #start()} to begin recording. */
    ArrivalRecorder(String bootstrapServers, String topic, OpenLoopLoad.Schedule schedule) {
        this.consumer = ChangeConsumer.of(bootstrapServers)
                .property("max.poll.records", 500)
                .open();
        this.schedule = schedule;
        this.arrivalNs = new long[Math.toIntExact(schedule.rows())];
        this.sentEpochMs = new long[arrivalNs.length];
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition, Duration.ofSeconds(30)); // resolve "end" now, before anything is written
        this.thread = new Thread(this::record, "latency-consumer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits until every row of the schedule has arrived; false if {@code timeout} passed first. */
    boolean awaitAll(Duration timeout) throws InterruptedException {
        boolean all = allArrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (failure != null) {
            throw failure;
        }
        return all;
    }

    /** When row {@code index} (0-based in the schedule) arrived, or 0 if it did not. Valid after {@link #close()}. */
    long arrivalNs(int index) {
        return arrivalNs[index];
    }

    /**
     * The record timestamp of row {@code index}: when Sluice handed it to its producer, in epoch ms of the pipeline
     * JVM's wall clock (the same machine's). Valid after {@link #close()} for rows that arrived.
     */
    long sentEpochMs(int index) {
        return sentEpochMs[index];
    }

    /** Rows of the schedule seen (each once). Valid after {@link #close()}. */
    long arrived() {
        return arrived;
    }

    /** Rows seen a second time: a read_committed consumer of an exactly-once pipeline must see none. */
    long duplicates() {
        return duplicates;
    }

    /** Records whose key is not a row of this schedule. */
    long foreign() {
        return foreign;
    }

    private void record() {
        try {
            while (!stop) {
                var polled = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    note(keyId(r.key()), r.timestamp(), now);
                }
                if (arrived == arrivalNs.length) {
                    allArrived.countDown();
                }
            }
        } catch (RuntimeException e) {
            failure = e;
            allArrived.countDown();
        }
    }

    private void note(long id, long sentMs, long now) {
        int t = schedule.transactionOf(id);
        if (t < 0) {
            foreign++;
            return;
        }
        int index = (int) (id - schedule.firstId());
        if (arrivalNs[index] != 0) {
            duplicates++;
        } else {
            arrivalNs[index] = now;
            sentEpochMs[index] = sentMs;
            arrived++;
        }
    }

    /** The id of a {@code {"id":N}} key, without a JSON parser on the measuring thread; -1 for anything else. */
    static long keyId(byte[] key) {
        if (key == null) {
            return -1;
        }
        int i = 0;
        while (i < key.length && key[i] != ':') {
            i++;
        }
        long id = 0;
        boolean digits = false;
        for (i++; i < key.length && key[i] >= '0' && key[i] <= '9'; i++) {
            id = id * 10 + (key[i] - '0');
            digits = true;
        }
        return digits ? id : -1;
    }

    /** Stops the consumer thread and closes the consumer; the arrival figures are final after this. */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        if (thread.isAlive()) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
