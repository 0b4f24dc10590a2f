package dev.sluice.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the demo shows: a read_committed consumer of the shop topics that prints a few sample events and measures
 * end-to-end lag (consumer arrival minus the writer's {@code changed_ms}, both on this machine's clock).
 */
public final class LiveView implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Properties props = new Properties();
    private final String topicPattern;
    private final PrintStream out;
    private final int samplesAtStart;
    private volatile boolean stopped;
    private volatile long lastLagMs = -1;
    private volatile long consumed;

    public LiveView(String bootstrapServers, String topicPrefix, PrintStream out, int samplesAtStart) {
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "sluice-demo-view-" + System.nanoTime());
        props.put("isolation.level", "read_committed");
        props.put("auto.offset.reset", "latest");
        props.put("enable.auto.commit", "false");
        props.put("metadata.max.age.ms", "2000");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        this.topicPattern = Pattern.quote(topicPrefix + ".shop.") + ".*";
        this.out = out;
        this.samplesAtStart = samplesAtStart;
    }

    public long lastLagMs() {
        return lastLagMs;
    }

    public long consumed() {
        return consumed;
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        long nextSampleAt = 0;
        int printed = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(Pattern.compile(topicPattern));
            while (!stopped) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    consumed++;
                    long now = System.currentTimeMillis();
                    JsonNode value = readQuietly(record.value());
                    // Only rows the workload just wrote carry a fresh changed_ms; a delete's before-image is old.
                    JsonNode row = value == null ? null : value.get("after");
                    if (row != null && row.isObject() && row.has("changed_ms")) {
                        lastLagMs = now - row.get("changed_ms").asLong();
                    }
                    if (printed < samplesAtStart || now >= nextSampleAt) {
                        out.println("  sample " + record.topic() + " key=" + record.key());
                        out.println("         " + record.value());
                        printed++;
                        nextSampleAt = now + 15_000;
                    }
                }
            }
        }
    }

    private static JsonNode readQuietly(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (Exception e) {
            return null;
        }
    }
}
