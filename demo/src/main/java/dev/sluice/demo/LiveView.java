package dev.sluice.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.event.ChangeEvent;
import dev.sluice.event.EnvelopeDecoder;
import dev.sluice.event.MalformedEventException;
import dev.sluice.kafka.ChangeConsumer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * What the demo shows: a read_committed consumer of the shop topics that prints a few sample events and measures
 * end-to-end lag (consumer arrival minus the writer's {@code changed_ms}, both on this machine's clock).
 * Owns its consumer and decoder on the thread that runs it; the figures are read from other threads.
 */
public final class LiveView implements Runnable {
    private final String bootstrapServers;
    private final String topicPattern;
    private final PrintStream out;
    private final int samplesAtStart;
    private volatile boolean stopped;
    private volatile long lastLagMs = -1;
    private volatile long consumed;

    public LiveView(String bootstrapServers, String topicPrefix, PrintStream out, int samplesAtStart) {
        this.bootstrapServers = bootstrapServers;
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
        EnvelopeDecoder decoder = new EnvelopeDecoder();
        try (KafkaConsumer<byte[], byte[]> consumer = ChangeConsumer.of(bootstrapServers)
                .group("sluice-demo-view-" + System.nanoTime())
                .property("auto.offset.reset", "latest") // the demo shows what happens from now on
                .property("metadata.max.age.ms", 2000)
                .open()) {
            consumer.subscribe(Pattern.compile(topicPattern));
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    consumed++;
                    long now = System.currentTimeMillis();
                    ChangeEvent event = decodeQuietly(decoder, record);
                    // Only rows the workload just wrote carry a fresh changed_ms; a delete's before-image is old.
                    JsonNode changedMs = event == null || event.after() == null
                            ? null
                            : event.after().get("changed_ms");
                    if (changedMs != null && changedMs.isNumber()) {
                        lastLagMs = now - changedMs.asLong();
                    }
                    if (printed < samplesAtStart || now >= nextSampleAt) {
                        out.println("  sample " + record.topic() + " key=" + text(record.key()));
                        out.println("         " + text(record.value()));
                        printed++;
                        nextSampleAt = now + 15_000;
                    }
                }
            }
        }
    }

    /** A record the demo cannot read is only shown, never fatal: the view is for watching. */
    private static ChangeEvent decodeQuietly(EnvelopeDecoder decoder, ConsumerRecord<byte[], byte[]> record) {
        try {
            return decoder.decode(record.topic(), record.partition(), record.offset(), record.key(), record.value());
        } catch (MalformedEventException e) {
            return null;
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
