package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A read_committed consumer of all topics matching a pattern, from the beginning, for assertions. */
public final class TopicReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectMapper json;
    private final KafkaConsumer<String, String> consumer;
    private final List<Rec> records = new ArrayList<>();
    /** A pattern subscription rebalances when topics appear and re-reads from the start; a record is its offset. */
    private final java.util.Set<String> seen = new java.util.HashSet<>();

    /** One consumed record; {@code value} is null for a tombstone. */
    public record Rec(String topic, int partition, long offset, String key, JsonNode value) {
        public String op() {
            return value.path("op").asText();
        }

        public JsonNode after() {
            return value.get("after");
        }

        public JsonNode before() {
            return value.get("before");
        }

        public String gtid() {
            return value.path("source").path("gtid").asText();
        }

        public long eventIndex() {
            return value.path("source").path("event").asLong();
        }
    }

    public TopicReader(String bootstrapServers, Pattern topics) {
        this(bootstrapServers, topics, JSON);
    }

    /** With a mapper of the caller's, e.g. one that keeps numbers as exact decimals. */
    public TopicReader(String bootstrapServers, Pattern topics, ObjectMapper json) {
        this(bootstrapServers, topics, json, "read_committed");
    }

    /**
     * A {@code read_uncommitted} reader: it also sees records of aborted Kafka transactions, which a test can use to
     * prove that an abort and a replay really happened. Never use it to check what consumers see.
     */
    public static TopicReader includingAborted(String bootstrapServers, Pattern topics) {
        return new TopicReader(bootstrapServers, topics, JSON, "read_uncommitted");
    }

    private TopicReader(String bootstrapServers, Pattern topics, ObjectMapper json, String isolation) {
        this.json = json;
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "test-reader-" + System.nanoTime());
        props.put("isolation.level", isolation);
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        props.put("metadata.max.age.ms", "500");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
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
            if (r.value() != null && r.value().has("op")) {
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
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
            if (seen.add(r.topic() + "/" + r.partition() + "/" + r.offset())) {
                records.add(new Rec(r.topic(), r.partition(), r.offset(), r.key(), parse(r.value())));
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
                    .append(r.value());
        }
        return out.toString();
    }

    private JsonNode parse(String value) {
        try {
            return value == null ? null : json.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
