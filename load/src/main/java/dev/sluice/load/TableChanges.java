package dev.sluice.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.event.RowImage;
import dev.sluice.kafka.TopicNames;
import dev.sluice.schema.SchemaVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One table's part of a batch, folded per key: for each key only its last change (last write wins, in the
 * partition's order, which is the source's order per key), so a key written a thousand times in a batch costs the
 * target one row. A primary-key change arrives as a delete of the old key and an insert of the new one (an update
 * whose key differs is folded the same way); a key deleted and inserted again ends as the insert.
 *
 * <p>All changes of one fold share one schema version: a batch never spans a DDL of its table, so the target
 * follows each version exactly at the DDL's position (the rows before it are committed with the old version), and a
 * version the target cannot follow stops the loader right there. DDL is rare: the extra batch costs nothing.
 *
 * <p>A change never replaces a newer one: an event shown twice, or a copied row older than a change already folded,
 * leaves the fold as it was, as the target's version guard would.
 *
 * <p>Not thread-safe: one per worker's batch.
 */
public final class TableChanges {
    private final TopicNames.Table table;
    private final List<String> keyColumns;
    private final Map<List<JsonNode>, RowChange> byKey = new LinkedHashMap<>();
    private final SchemaVersion schema;

    /** The changes of {@code table} made with schema version {@code schema}, keyed by its primary key. */
    TableChanges(TopicNames.Table table, SchemaVersion schema) {
        this.table = table;
        this.keyColumns = schema.primaryKey();
        this.schema = schema;
    }

    public TopicNames.Table table() {
        return table;
    }

    /** The schema version of every change in the fold: what the target table must have to take them. */
    public SchemaVersion latest() {
        return schema;
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    /** The last change of every key, in the order the keys first appeared. */
    public Collection<RowChange> changes() {
        return byKey.values();
    }

    /** Whether a change of {@code version} can join this fold: the same schema version of the table. */
    boolean accepts(SchemaVersion version) {
        return version.version() == schema.version();
    }

    void upsert(RowImage after, RowChange change) {
        fold(keyOf(after), change);
    }

    void delete(RowImage before, RowChange change) {
        fold(keyOf(before), change);
    }

    private void fold(List<JsonNode> key, RowChange change) {
        RowChange earlier = byKey.get(key);
        if (earlier == null || change.version().isAfter(earlier.version())) {
            byKey.put(key, change);
        }
    }

    /** The key of an image: its key columns' cells; a missing one is an error naming the record. */
    List<JsonNode> keyOf(RowImage image) {
        List<JsonNode> key = new ArrayList<>(keyColumns.size());
        for (String column : keyColumns) {
            JsonNode cell = image.get(column);
            if (cell == null || cell.isNull()) {
                throw new IllegalArgumentException("key column '" + column + "' is missing or NULL");
            }
            key.add(cell);
        }
        return key;
    }

    int size() {
        return byKey.size();
    }
}
