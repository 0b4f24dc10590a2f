package dev.sluice.schema;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Numbers the versions of each captured table's schema ({@link SchemaVersion}). It starts from the versions already
 * committed to the {@code _schemas} topic, so a restart continues each table's numbering and never gives a committed
 * number to other columns. A schema gets its table's latest number when its columns and primary key are the latest
 * version's, else the next number: one new version per change of shape, none for a change that leaves the columns
 * as they are.
 *
 * <p>A number is recorded (written to the topic) once, in the Kafka transaction of the first event that names it:
 * {@link #firstUse} tells the stream thread when. A number taken by a snapshot read whose chunk is never published
 * is never recorded; numbers then skip one, which readers must allow.
 *
 * <p>Thread-safe: the stream thread and the snapshot's chunk readers (which encode rows with the number) share it.
 */
public final class SchemaVersions {
    private final Map<Table, Latest> latest = new HashMap<>();
    private final Set<Key> recorded = new HashSet<>();

    private record Table(String database, String table) {}

    private record Key(Table table, long version) {}

    private record Latest(long version, List<ColumnDefinition> columns, List<String> primaryKey) {}

    /** Starts from the committed versions, in any order. */
    public SchemaVersions(Collection<SchemaVersion> committed) {
        for (SchemaVersion v : committed) {
            Table t = new Table(v.database(), v.table());
            recorded.add(new Key(t, v.version()));
            Latest known = latest.get(t);
            if (known == null || v.version() > known.version()) {
                latest.put(t, new Latest(v.version(), v.columns(), v.primaryKey()));
            }
        }
    }

    /** The version number of {@code schema}: its table's latest when the shape is the same, else a new one. */
    public synchronized long versionOf(TableSchema schema) {
        Table t = new Table(schema.database(), schema.table());
        List<String> key = schema.primaryKeyNames();
        Latest known = latest.get(t);
        if (known != null
                && known.columns().equals(schema.definitions())
                && known.primaryKey().equals(key)) {
            return known.version();
        }
        long next = known == null ? 1 : known.version() + 1;
        latest.put(t, new Latest(next, schema.definitions(), key));
        return next;
    }

    /** True exactly once per version not yet recorded: the caller then writes its record. */
    public synchronized boolean firstUse(String database, String table, long version) {
        return recorded.add(new Key(new Table(database, table), version));
    }
}
