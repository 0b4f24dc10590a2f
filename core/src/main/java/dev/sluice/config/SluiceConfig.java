package dev.sluice.config;

import static dev.sluice.config.ConfigKeys.*;

import dev.sluice.config.ConfigKeys.SnapshotMode;
import dev.sluice.config.ConfigKeys.StartFrom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The validated configuration, split into the small immutable records each stage receives. */
public record SluiceConfig(
        Source source, Kafka kafka, Pipeline pipeline, Snapshot snapshot, Filter filter, Admin admin) {

    /** Kafka settings exactly-once depends on; Sluice sets them itself. */
    private static final Set<String> RESERVED_KAFKA_PROPERTIES = Set.of(
            "transactional.id",
            "enable.idempotence",
            "acks",
            "isolation.level",
            "bootstrap.servers",
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer",
            "enable.auto.commit");

    public static SluiceConfig from(ConfigValues v) {
        Kafka kafka = kafka(v);
        Snapshot snapshot = new Snapshot(
                v.get(SNAPSHOT_MODE),
                v.get(SNAPSHOT_CHUNK_SIZE),
                v.get(SNAPSHOT_PARALLELISM),
                v.get(SNAPSHOT_MAX_ROWS_PER_SECOND),
                Duration.ofSeconds(v.get(SNAPSHOT_MAX_LAG_SECONDS)),
                Duration.ofSeconds(v.get(SNAPSHOT_MAX_REPLICA_LAG_SECONDS)));
        if (v.get(PIPELINE_START) == StartFrom.EARLIEST && snapshot.mode() != SnapshotMode.NEVER) {
            throw ConfigReader.error(
                    "key 'snapshot.mode'",
                    "pipeline.start: earliest replays the binlog instead of "
                            + "copying the tables, so it needs snapshot.mode: never (the default is initial); set one of them");
        }
        return new SluiceConfig(
                new Source(
                        v.get(SOURCE_HOST),
                        v.get(SOURCE_PORT),
                        v.get(SOURCE_USER),
                        new Secret(v.get(SOURCE_PASSWORD)),
                        v.get(SOURCE_SERVER_ID),
                        Duration.ofSeconds(v.get(SOURCE_HEARTBEAT_SECONDS)),
                        Duration.ofSeconds(v.get(SOURCE_CONNECT_RETRY_SECONDS))),
                kafka,
                new Pipeline(
                        v.get(PIPELINE_NAME),
                        v.get(PIPELINE_START),
                        v.get(PIPELINE_COMMIT_INTERVAL_MS),
                        v.get(PIPELINE_COMMIT_MIN_INTERVAL_MS),
                        v.get(PIPELINE_COMMIT_MAX_EVENTS),
                        v.get(PIPELINE_MAX_TRANSACTION_EVENTS)),
                snapshot,
                filter(v),
                admin(v, ADMIN_PORT));
    }

    /** The Kafka section, validated; shared by every process and by commands that only read Kafka. */
    public static Kafka kafka(ConfigValues v) {
        Kafka kafka = new Kafka(
                v.get(KAFKA_BOOTSTRAP_SERVERS),
                v.get(KAFKA_TOPIC_PREFIX),
                v.get(KAFKA_PARTITIONS),
                v.get(KAFKA_REPLICATION_FACTOR),
                v.get(KAFKA_PROPERTIES),
                Duration.ofSeconds(v.get(KAFKA_CONNECT_RETRY_SECONDS)));
        kafka.validate();
        return kafka;
    }

    static Filter filter(ConfigValues v) {
        return new Filter(v.get(FILTER_INCLUDE), v.get(FILTER_EXCLUDE));
    }

    /** The admin endpoint on the port of {@code port} (each kind of process has its own default port). */
    static Admin admin(ConfigValues v, ConfigKey<Integer> port) {
        return new Admin(v.get(ADMIN_BIND_ADDRESS), v.get(port), new Secret(v.get(ADMIN_TOKEN)));
    }

    /** The source server and how to reach it. */
    public record Source(
            String host,
            int port,
            String user,
            Secret password,
            long serverId,
            Duration heartbeat,
            Duration connectRetry) {
        public String address() {
            return host + ":" + port;
        }

        /** No event and no heartbeat for this long means the link is dead. */
        public Duration stallTimeout() {
            return heartbeat.multipliedBy(3);
        }
    }

    /** The Kafka cluster, topic naming and extra client properties. */
    public record Kafka(
            String bootstrapServers,
            String topicPrefix,
            int partitions,
            int replicationFactor,
            Map<String, String> clientProperties,
            Duration connectRetry) {
        void validate() {
            if (!topicPrefix.matches("[A-Za-z0-9._-]{1,150}")) {
                throw ConfigReader.error(
                        "key 'kafka.topic-prefix'",
                        "'" + topicPrefix
                                + "' may contain only letters, digits, '.', '_' and '-' (at most 150 characters)");
            }
            for (String name : clientProperties.keySet()) {
                if (RESERVED_KAFKA_PROPERTIES.contains(name)) {
                    throw ConfigReader.error(
                            "key 'kafka.properties." + name + "'",
                            "Sluice sets this itself for exactly-once delivery; remove it from the config");
                }
            }
        }

        @Override
        public String toString() {
            return "Kafka[bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix + ", clientProperties="
                    + Redaction.redactValue(clientProperties) + "]";
        }
    }

    /** How the pipeline groups and splits transactions, and where it starts. */
    public record Pipeline(
            String name,
            StartFrom start,
            int commitIntervalMs,
            int commitMinIntervalMs,
            int commitMaxEvents,
            long maxTransactionEvents) {}

    /** How table copies run (docs/snapshots.md). */
    public record Snapshot(
            SnapshotMode mode,
            int chunkSize,
            int parallelism,
            int maxRowsPerSecond,
            Duration maxLag,
            Duration maxReplicaLag) {}

    /** Which tables are captured. */
    public record Filter(List<String> include, List<String> exclude) {}

    /**
     * The read-only admin HTTP endpoint; {@code port} 0 picks a free port, -1 turns it off; an empty {@code token}
     * means none is required (allowed on loopback only, checked when the endpoint binds).
     */
    public record Admin(String bindAddress, int port, Secret token) {
        public boolean enabled() {
            return port >= 0;
        }

        public boolean requiresToken() {
            return !token.reveal().isEmpty();
        }
    }
}
