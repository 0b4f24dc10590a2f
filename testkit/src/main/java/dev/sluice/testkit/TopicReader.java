package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sluice.event.ChangeEvent;
import dev.sluice.event.EnvelopeDecoder;
import dev.sluice.event.MalformedEventException;
import dev.sluice.event.RowImage;
import dev.sluice.kafka.ChangeConsumer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** A read_committed consumer of all topics matching a pattern, from the beginning, for assertions. */
public final class TopicReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Records are decoded lazily, on whichever test thread asks first; the decoder is per thread. */
    private static final ThreadLocal<EnvelopeDecoder> DECODER = ThreadLocal.withInitial(EnvelopeDecoder::new);

    private final ObjectMapper json;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Rec> records = new ArrayList<>();
    /** A pattern subscription rebalances when topics appear and re-reads from the start; a record is its offset. */
    private final java.util.Set<String> seen = new java.util.HashSet<>();

    /**
     * One consumed record. A record of a change topic is decoded by Sluice's {@link EnvelopeDecoder} ({@link #event},
     * {@link #op}, {@link #after}, ...) the first time it is asked; {@link #value} is the raw JSON tree, for the other
     * topics (positions, schema changes). {@link #event} fails for a record that is not a change event, naming its
     * topic, partition and offset. Not thread-safe.
     */
    public static final class Rec {
        private final String topic;
        private final int partition;
        private final long offset;
        private final String key;
        private final byte[] value;
        private final ObjectMapper json;
        private JsonNode tree;
        private ChangeEvent event;
        private ChangeEvent change;
        private boolean checked;

        /** A record with this value ({@code null} for a tombstone), e.g. a corrupted copy of a consumed one. */
        public Rec(String topic, int partition, long offset, String key, byte[] value) {
            this(topic, partition, offset, key, value, JSON);
        }

        Rec(String topic, int partition, long offset, String key, byte[] value, ObjectMapper json) {
            this.topic = topic;
            this.partition = partition;
            this.offset = offset;
            this.key = key;
            this.value = value;
            this.json = json;
        }

        public String topic() {
            return topic;
        }

        public int partition() {
            return partition;
        }

        public long offset() {
            return offset;
        }

        public String key() {
            return key;
        }

        /** The value as Kafka carried it; null for a tombstone. */
        public byte[] valueBytes() {
            return value;
        }

        /** The value as a JSON tree (read with the reader's mapper); null for a tombstone. */
        public JsonNode value() {
            if (tree == null && value != null) {
                try {
                    tree = json.readTree(value);
                } catch (IOException e) {
                    throw new UncheckedIOException("Unreadable record at " + this, e);
                }
            }
            return tree;
        }

        /** The decoded change event (a tombstone for a null value); fails for a record that is not an envelope. */
        public ChangeEvent event() {
            if (event == null) {
                byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
                event = DECODER.get().decode(topic, partition, offset, keyBytes, value);
            }
            return event;
        }

        /**
         * The row change, or null for a tombstone and for a record of another kind of topic (a reader may subscribe
         * to the schema changes beside the tables).
         */
        private ChangeEvent change() {
            if (!checked) {
                checked = true;
                try {
                    change = event().isTombstone() ? null : event();
                } catch (MalformedEventException notAnEnvelope) {
                    change = null;
                }
            }
            return change;
        }

        /** Whether this is a row change (not a tombstone, not a record of another kind of topic). */
        public boolean isChange() {
            return change() != null;
        }

        /** The op's code; empty for a record that is no row change. */
        public String op() {
            return isChange() ? change().op().code() : "";
        }

        /** The {@code after} image as a JSON object; a JSON null when it is null or this is no row change. */
        public JsonNode after() {
            return tree(isChange() ? change().after() : null);
        }

        /** The {@code before} image as a JSON object; a JSON null when it is null or this is no row change. */
        public JsonNode before() {
            return tree(isChange() ? change().before() : null);
        }

        /** The source block of a row change. */
        public ChangeEvent.Source source() {
            return event().source();
        }

        /** The GTID of a row change; null for a snapshot row and for a record that is no row change. */
        public String gtid() {
            return isChange() ? change().source().gtid() : null;
        }

        /** The row change's index in its source transaction; -1 for a record that is no row change. */
        public long eventIndex() {
            return isChange() ? change().source().event() : -1;
        }

        private static JsonNode tree(RowImage image) {
            return image == null ? NullNode.getInstance() : image.toJson();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rec r
                    && topic.equals(r.topic)
                    && partition == r.partition
                    && offset == r.offset
                    && Objects.equals(key, r.key)
                    && Arrays.equals(value, r.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(topic, partition, offset, key) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset + " " + key + " "
                    + (value == null ? "(tombstone)" : new String(value, StandardCharsets.UTF_8));
        }
    }

    public TopicReader(String bootstrapServers, Pattern topics) {
        this(bootstrapServers, topics, JSON);
    }

    /** With a mapper of the caller's for {@link Rec#value}, e.g. one that keeps numbers as exact decimals. */
    public TopicReader(String bootstrapServers, Pattern topics, ObjectMapper json) {
        this(bootstrapServers, topics, json, false);
    }

    /**
     * A {@code read_uncommitted} reader: it also sees records of aborted Kafka transactions, which a test can use to
     * prove that an abort and a replay really happened. Never use it to check what consumers see.
     */
    public static TopicReader includingAborted(String bootstrapServers, Pattern topics) {
        return new TopicReader(bootstrapServers, topics, JSON, true);
    }

    private TopicReader(String bootstrapServers, Pattern topics, ObjectMapper json, boolean includingAborted) {
        this.json = json;
        ChangeConsumer.Builder builder = ChangeConsumer.of(bootstrapServers)
                .group("test-reader-" + System.nanoTime())
                .property("auto.offset.reset", "earliest")
                .property("metadata.max.age.ms", 500); // a pattern subscription finds new topics soon
        consumer = (includingAborted ? builder.includingAborted() : builder).open();
        consumer.subscribe(topics);
    }

    /** Polls until {@code done} holds for everything read so far; fails the test after {@code timeout}. */
    public List<Rec> readUntil(Predicate<List<Rec>> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(records)) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout.toSeconds() + " s waiting for " + what + "; read " + records.size()
                        + " records: " + summary());
            }
            pollOnce();
        }
        return List.copyOf(records);
    }

    /**
     * Waits until every transaction in {@code expected} (GTID → number of row events) has all its events; fails
     * naming what is missing. Later arrivals (duplicates) are then caught by {@link #drain}.
     */
    public List<Rec> readAllOf(java.util.Map<String, Integer> expected, Duration timeout) {
        try {
            return readUntil(r -> missing(expected, r).isEmpty(), timeout, "every committed transaction");
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "\nincomplete (GTID=events seen/expected): " + missing(expected, records), e);
        }
    }

    /** Transactions of {@code expected} not yet complete in {@code recs}, as GTID=seen/expected. */
    public static java.util.Map<String, String> missing(java.util.Map<String, Integer> expected, List<Rec> recs) {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (Rec r : recs) {
            if (r.isChange()) {
                seen.merge(r.gtid(), 1, Integer::sum);
            }
        }
        java.util.Map<String, String> missing = new java.util.TreeMap<>();
        expected.forEach((gtid, n) -> {
            int got = seen.getOrDefault(gtid, 0);
            if (got < n) {
                missing.put(gtid, got + "/" + n);
            }
        });
        return missing;
    }

    /**
     * Reads until every subscribed partition is read up to its last stable offset as of now: after a fence has
     * arrived, everything committed before it is below that offset in every partition, however slowly a partition
     * is fetched (right after a broker restart, one can lag the others by seconds; a quiet period cannot tell).
     */
    public List<Rec> catchUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        pollOnce();
        java.util.Set<org.apache.kafka.common.TopicPartition> partitions = consumer.assignment();
        java.util.Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout.toSeconds() + " s catching up to " + end);
            }
            pollOnce();
        }
        return List.copyOf(records);
    }

    /** Everything that arrives within {@code quiet} of nothing new arriving (to check that nothing else comes). */
    public List<Rec> drain(Duration quiet) {
        long until = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < until) {
            if (pollOnce()) {
                until = System.nanoTime() + quiet.toNanos();
            }
        }
        return List.copyOf(records);
    }

    private boolean pollOnce() {
        boolean any = false;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            if (seen.add(r.topic() + "/" + r.partition() + "/" + r.offset())) {
                String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                records.add(new Rec(r.topic(), r.partition(), r.offset(), key, r.value(), json));
                any = true;
            }
        }
        return any;
    }

    private String summary() {
        StringBuilder out = new StringBuilder();
        for (Rec r : records.subList(Math.max(0, records.size() - 5), records.size())) {
            out.append("\n  ")
                    .append(r.topic())
                    .append(' ')
                    .append(r.key())
                    .append(' ')
                    .append(r.value() == null ? "(tombstone)" : r.value().toString());
        }
        return out.toString();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
