package dev.sluice.load;

import dev.sluice.config.SluiceConfig;
import dev.sluice.config.TableFilter;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.Retry;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.ChangeConsumer;
import dev.sluice.kafka.SchemaStore;
import dev.sluice.kafka.TopicNames;
import dev.sluice.schema.SchemaVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;

/**
 * Every schema version of every table the capture published ({@code <prefix>._schemas}), by table and version
 * number. A version is committed in the same Kafka transaction as the first event that names it, so a version an
 * event names is always there to read: a miss is answered by reading the topic again, and a version still missing
 * after that stops the loader rather than guess a schema.
 *
 * <p>Thread-safe: shared by the workers; a miss reads the topic once, under this object's lock.
 */
final class SchemaCatalog {
    private static final Duration TOPIC_WAIT = Duration.ofSeconds(30);

    private final SluiceConfig.Kafka kafka;
    private final TopicNames names;
    private final Map<Key, SchemaVersion> versions = new ConcurrentHashMap<>();

    private record Key(String database, String table, long version) {}

    SchemaCatalog(SluiceConfig.Kafka kafka, TopicNames names) {
        this.kafka = kafka;
        this.names = names;
    }

    /**
     * Stops, naming the topic, when Kafka has no {@code <prefix>._schemas}: a wrong kafka.topic-prefix, or a pipeline
     * that never ran. Without it no change event can be read, and reading it would wait for a topic that never comes.
     */
    void requireTopic() {
        List<PartitionInfo> partitions;
        try (KafkaConsumer<byte[], byte[]> consumer = ChangeConsumer.of(kafka).open()) {
            partitions = consumer.partitionsFor(names.schemas(), TOPIC_WAIT);
        } catch (KafkaException e) {
            throw new SluiceException(
                    ExitCode.UNREACHABLE,
                    "Cannot read the topics of Kafka at " + kafka.bootstrapServers() + ": " + Retry.rootMessage(e)
                            + ". Check that it is running and reachable from here.",
                    e);
        }
        if (partitions.isEmpty()) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    "Kafka at " + kafka.bootstrapServers() + " has no topic " + names.schemas() + ", where the "
                            + "pipeline publishes its table schemas: kafka.topic-prefix must be the prefix of a "
                            + "sluice run pipeline that has started at least once. Correct kafka.topic-prefix, or "
                            + "start the pipeline first.");
        }
    }

    /** Reads every committed version; returns how many there are. */
    synchronized int refresh() {
        List<SchemaVersion> read = SchemaStore.readCommitted(kafka, names);
        read.forEach(v -> versions.put(new Key(v.database(), v.table(), v.version()), v));
        return versions.size();
    }

    /** The newest version of every table {@code filter} captures, by table name: what the target tables must have. */
    List<SchemaVersion> newest(TableFilter filter) {
        Map<String, SchemaVersion> newest = new TreeMap<>();
        for (SchemaVersion v : versions.values()) {
            if (filter.captures(v.database(), v.table())) {
                newest.merge(v.qualifiedName(), v, (a, b) -> a.version() >= b.version() ? a : b);
            }
        }
        return List.copyOf(newest.values());
    }

    /** Version {@code version} of {@code table}; stops the loader (exit 6) when the topic does not have it. */
    SchemaVersion get(TopicNames.Table table, long version, RowChange.Origin origin) {
        Key key = new Key(table.database(), table.table(), version);
        SchemaVersion found = versions.get(key);
        if (found == null) {
            synchronized (this) {
                found = versions.get(key);
                if (found == null) {
                    refresh();
                    found = versions.get(key);
                }
            }
        }
        if (found == null) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "The change event at " + origin + " names schema version " + version + " of "
                            + table.database() + "." + table.table() + ", which " + names.schemas()
                            + " does not hold. The topic may have been deleted or written by another pipeline: "
                            + "the loader stops here rather than guess the columns.");
        }
        return found;
    }
}
