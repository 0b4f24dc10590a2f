package dev.sluice.pipeline;

import dev.sluice.failure.CrashPoints;
import dev.sluice.kafka.KafkaWriter;
import dev.sluice.kafka.TopicNames;
import dev.sluice.schema.SchemaVersion;
import dev.sluice.schema.SchemaVersions;
import dev.sluice.schema.TableSchema;
import dev.sluice.schema.TableSchemaJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a table's schema version to {@code <prefix>._schemas} right before the first event that names it, into the
 * same open Kafka transaction: a read_committed consumer can never see an event whose version is not committed, and
 * a crash before the commit takes both away (the replay writes both again). Not counted as an event: it always
 * travels with one. Owned by the stream thread.
 */
final class SchemaRecorder {
    private static final Logger log = LoggerFactory.getLogger(SchemaRecorder.class);

    private final SchemaVersions versions;
    private final TopicNames names;
    private final KafkaWriter writer;

    SchemaRecorder(SchemaVersions versions, TopicNames names, KafkaWriter writer) {
        this.versions = versions;
        this.names = names;
        this.writer = writer;
    }

    /** Sends version {@code version} of {@code schema} unless it was sent (or committed) before. */
    void recordIfNew(TableSchema schema, long version, SchemaVersion.AppliesFrom from) {
        if (!versions.firstUse(schema.database(), schema.table(), version)) {
            return;
        }
        SchemaVersion record = new SchemaVersion(
                schema.database(), schema.table(), version, schema.definitions(), schema.primaryKeyNames(), from);
        writer.send(
                names.schemas(),
                TableSchemaJson.key(schema.database(), schema.table(), version),
                TableSchemaJson.write(record),
                schema.qualifiedName(),
                from.gtid(),
                from.event());
        CrashPoints.reached(CrashPoints.SCHEMA_VERSION);
        log.info(
                "Schema version {} of {}: {} columns{}",
                version,
                schema.qualifiedName(),
                schema.columns().size(),
                from.snapshot() ? " (snapshot)" : " from GTID " + from.gtid());
    }
}
