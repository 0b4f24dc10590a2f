package dev.sluice.kafka;

import dev.sluice.config.SluiceConfig;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The one place a Sluice process, test or benchmark builds a Kafka consumer of Sluice's topics. Every consumer reads
 * {@code read_committed}: a record becomes visible only with the Kafka transaction that carried it, together with
 * the position it leads to, so no reader ever sees part of a source transaction or an aborted one
 * (docs/exactly-once.md). Auto-commit is off: a reader that keeps offsets commits them where it keeps its data (a
 * loader in the target's own transaction), never on a timer. Keys and values stay bytes; {@code EnvelopeDecoder}
 * reads change events, {@code PositionJson} positions.
 *
 * <p>Two ways to read: <b>assigned</b> partitions (no group; the caller seeks: the position store, snapshot
 * requests, tests and benchmarks), or a <b>consumer group</b> ({@link Builder#group}: the loaders, scaled out by
 * Kafka's partition assignment). Without a committed offset a reader starts at the earliest record: a change topic
 * read from its end would silently miss what was there.
 *
 * <p>With a config, the user's client properties ({@code kafka.properties}: TLS, SASL, ...) apply, then the
 * caller's tuning; the settings above cannot be overridden, so a typo in a properties file cannot weaken them.
 */
public final class ChangeConsumer {
    /** The settings the guarantee depends on; {@link Builder#property} refuses them. */
    private static final Set<String> FIXED =
            Set.of("isolation.level", "enable.auto.commit", "key.deserializer", "value.deserializer", "group.id");

    private ChangeConsumer() {}

    /** A consumer of the configured cluster, with the user's client properties. */
    public static Builder of(SluiceConfig.Kafka kafka) {
        return new Builder(KafkaClients.base(kafka));
    }

    /** A consumer of a cluster without a config (the test harness, the benchmarks, the demo's local broker). */
    public static Builder of(String bootstrapServers) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        return new Builder(props);
    }

    /** Collects the settings of one consumer; {@link #open} builds it. */
    public static final class Builder {
        private final Properties props;
        private String group;
        private boolean includingAborted;

        private Builder(Properties base) {
            this.props = new Properties();
            props.put("auto.offset.reset", "earliest");
            props.putAll(base);
        }

        /** Reads as a member of consumer group {@code groupId} ({@code subscribe}); without it, assign partitions. */
        public Builder group(String groupId) {
            this.group = groupId;
            return this;
        }

        /**
         * Tuning (fetch sizes, {@code max.poll.records}, {@code metadata.max.age.ms}, {@code auto.offset.reset}, ...).
         * The read_committed, auto-commit, deserializer and group settings are refused: they are the builder's.
         */
        public Builder property(String key, Object value) {
            if (FIXED.contains(key)) {
                throw new IllegalArgumentException(
                        key + " is fixed by ChangeConsumer (read_committed, no auto-commit, bytes, group())");
            }
            props.put(key, String.valueOf(value));
            return this;
        }

        /** Each of {@code properties}, as {@link #property}. */
        public Builder properties(Map<String, ?> properties) {
            properties.forEach(this::property);
            return this;
        }

        /**
         * Reads {@code read_uncommitted}: also the records of aborted Kafka transactions. Weakens exactly-once
         * reading: only for a test that must prove an abort happened, never to check what consumers see.
         */
        public Builder includingAborted() {
            this.includingAborted = true;
            return this;
        }

        /** The consumer; the caller owns it (one thread, closed by the caller). */
        public KafkaConsumer<byte[], byte[]> open() {
            return new KafkaConsumer<>(properties());
        }

        Properties properties() {
            Properties all = new Properties();
            all.putAll(props);
            all.put("isolation.level", includingAborted ? "read_uncommitted" : "read_committed");
            all.put("enable.auto.commit", "false");
            all.put("key.deserializer", ByteArrayDeserializer.class.getName());
            all.put("value.deserializer", ByteArrayDeserializer.class.getName());
            if (group != null) {
                all.put("group.id", group);
            }
            return all;
        }
    }
}
