package dev.sluice.pipeline;

import dev.sluice.event.EnvelopeEncoder;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.KafkaWriter;
import dev.sluice.kafka.TopicAdmin;
import dev.sluice.kafka.TopicNames;
import dev.sluice.schema.SchemaVersion;
import dev.sluice.snapshot.Chunk;
import dev.sluice.snapshot.ChunkHandoff;
import dev.sluice.snapshot.Snapshotter;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between source transactions: publishes every snapshot chunk whose read point the stream has reached (see
 * {@link ChunkHandoff}), into the open Kafka transaction, so the chunk and the copy progress that covers it commit
 * together. Also takes new {@code sluice snapshot} requests, and stops the pipeline when the copy hit a failure only
 * the user can fix. Owned by the stream thread.
 */
final class ChunkPublisher {
    private static final Logger log = LoggerFactory.getLogger(ChunkPublisher.class);

    private final Snapshotter snapshotter;
    private final ChunkHandoff chunks;
    private final SnapshotRequestIntake requests;
    private final SchemaRecorder schemaRecorder;
    private final TopicNames names;
    private final TopicAdmin topics;
    private final KafkaWriter writer;
    private final Committer committer;
    private final LongSupplier clock;

    ChunkPublisher(
            Snapshotter snapshotter,
            ChunkHandoff chunks,
            SnapshotRequestIntake requests,
            SchemaRecorder schemaRecorder,
            TopicNames names,
            TopicAdmin topics,
            KafkaWriter writer,
            Committer committer,
            LongSupplier clock) {
        this.snapshotter = snapshotter;
        this.chunks = chunks;
        this.requests = requests;
        this.schemaRecorder = schemaRecorder;
        this.names = names;
        this.topics = topics;
        this.writer = writer;
        this.committer = committer;
        this.clock = clock;
    }

    void publishReady() {
        SluiceException failure = snapshotter.failure();
        if (failure != null) {
            throw failure;
        }
        requests.take();
        ChunkHandoff.Publishable ready;
        // Up to a full batch, then back to the binlog: fast readers must neither starve the stream nor grow one
        // Kafka transaction without bound.
        while (committer.hasRoomForChunk() && (ready = chunks.takeReady()) != null) {
            publish(ready);
        }
    }

    /** A copied row's {@code source}: no GTID, the chunk's read coordinates, its sequence number as the event. */
    private static SchemaVersion.AppliesFrom appliesFrom(Chunk chunk) {
        return new SchemaVersion.AppliesFrom(
                true, null, chunk.seq(), chunk.readAt().file(), chunk.readAt().offset(), chunk.readAtMs());
    }

    private void publish(ChunkHandoff.Publishable ready) {
        Chunk chunk = ready.chunk();
        String table = chunk.schema().qualifiedName();
        String topic = names.table(chunk.schema().database(), chunk.schema().table());
        topics.ensureTableTopic(topic, table);
        if (!ready.rows().isEmpty()) {
            schemaRecorder.recordIfNew(chunk.schema(), chunk.schemaVersion(), appliesFrom(chunk));
        }
        long index = 0;
        long ordinal = committer.boundary().gtids().ordinal();
        for (Chunk.Row row : ready.rows()) {
            // Published between transactions: the row is the table as every transaction up to here left it.
            EnvelopeEncoder.stampOrdinal(row.value(), ordinal);
            writer.send(topic, row.key(), row.value(), table, null, index++);
        }
        committer.sent(ready.rows().size(), clock.getAsLong());
        if (ready.superseded() > 0) {
            log.debug(
                    "Snapshot chunk {} of {}: {} rows left out, the stream already published newer changes",
                    chunk.seq(),
                    table,
                    ready.superseded());
        }
    }
}
