package dev.sluice.pipeline;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import dev.sluice.config.TableFilter;
import dev.sluice.event.EnvelopeEncoder;
import dev.sluice.kafka.TopicAdmin;
import dev.sluice.kafka.TopicNames;
import dev.sluice.schema.SchemaVersions;
import dev.sluice.schema.TableSchema;
import dev.sluice.source.SchemaBuilder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where the rows of each table id go, from the table's TABLE_MAP: its schema (rows are always decoded with the one
 * the binlog sent right before them) and the number of that schema's version ({@link SchemaVersions}), its prepared
 * encoding and its topic, created if needed. A table the filter does not capture is remembered too, without a
 * schema. Owned by the stream thread.
 */
final class TableTargets {
    private final TableFilter filter;
    private final SchemaBuilder schemas;
    private final TopicNames names;
    private final TopicAdmin topics;
    private final EnvelopeEncoder encoder;
    private final SchemaVersions versions;
    private final Map<Long, Target> byTableId = new HashMap<>();

    TableTargets(
            TableFilter filter,
            SchemaBuilder schemas,
            SchemaVersions versions,
            TopicNames names,
            TopicAdmin topics,
            EnvelopeEncoder encoder) {
        this.filter = filter;
        this.schemas = schemas;
        this.versions = versions;
        this.names = names;
        this.topics = topics;
        this.encoder = encoder;
    }

    void onTableMap(Event event) {
        TableMapEventData d = event.getData();
        Target existing = byTableId.get(d.getTableId());
        // The reader hands over the same instance for a byte-identical TABLE_MAP (ExactTableMapDeserializer).
        if (existing != null && (existing.map() == d || existing.sameDefinition(d))) {
            return;
        }
        if (!filter.captures(d.getDatabase(), d.getTable())) {
            byTableId.put(d.getTableId(), new Target(d, null, null, null));
            return;
        }
        TableSchema schema = schemas.build(d);
        String topic = names.table(d.getDatabase(), d.getTable());
        topics.ensureTableTopic(topic, schema.qualifiedName());
        EnvelopeEncoder.TableEncoding encoding = encoder.prepare(schema, versions.versionOf(schema));
        byTableId.put(d.getTableId(), new Target(d, encoding, topic, schema.qualifiedName()));
    }

    /** The target of a table id, or null when no TABLE_MAP announced it. */
    Target get(long tableId) {
        return byTableId.get(tableId);
    }

    /**
     * Where rows of one table id go, and its qualified name; {@code table == null} for a table not captured.
     * {@code schemaRecorded} is set once its schema version is known to be in the schema topic.
     */
    static final class Target {
        private final TableMapEventData map;
        private final EnvelopeEncoder.TableEncoding table;
        private final String topic;
        private final String name;
        boolean schemaRecorded;
        /** This table's change count in {@link TableCounts}, set at its first published row. */
        TableCounts.Count count;

        Target(TableMapEventData map, EnvelopeEncoder.TableEncoding table, String topic, String name) {
            this.map = map;
            this.table = table;
            this.topic = topic;
            this.name = name;
        }

        TableMapEventData map() {
            return map;
        }

        EnvelopeEncoder.TableEncoding table() {
            return table;
        }

        String topic() {
            return topic;
        }

        String name() {
            return name;
        }

        boolean captured() {
            return table != null;
        }

        boolean sameDefinition(TableMapEventData other) {
            return map.getDatabase().equals(other.getDatabase())
                    && map.getTable().equals(other.getTable())
                    && Arrays.equals(map.getColumnTypes(), other.getColumnTypes())
                    && Arrays.equals(map.getColumnMetadata(), other.getColumnMetadata())
                    && Objects.equals(map.getColumnNullability(), other.getColumnNullability())
                    && map.getEventMetadata() != null
                    && other.getEventMetadata() != null
                    && map.getEventMetadata()
                            .getColumnNames()
                            .equals(other.getEventMetadata().getColumnNames());
        }
    }
}
