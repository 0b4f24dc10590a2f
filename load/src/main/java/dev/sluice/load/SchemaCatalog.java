package dev.sluice.load;

import dev.sluice.config.SluiceConfig;
import dev.sluice.config.TableFilter;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.SchemaStore;
import dev.sluice.kafka.TopicNames;
import dev.sluice.schema.SchemaVersion;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every schema version of every table the capture published ({@code <prefix>._schemas}), by table and version
 * number. A version is committed in the same Kafka transaction as the first event that names it, so a version an
 * event names is always there to read: a miss is answered by reading the topic again, and a version still missing
 * after that stops the loader rather than guess a schema.
 *
 * <p>Thread-safe: shared by the workers; a miss reads the topic once, under this object's lock.
 */
final class SchemaCatalog {
    private final SluiceConfig.Kafka kafka;
    private final TopicNames names;
    private final Map<Key, SchemaVersion> versions = new ConcurrentHashMap<>();

    private record Key(String database, String table, long version) {}

    SchemaCatalog(SluiceConfig.Kafka kafka, TopicNames names) {
        this.kafka = kafka;
        this.names = names;
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
