package dev.sluice.pipeline;

import dev.sluice.config.ConfigKeys.SnapshotMode;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.TableFilter;
import dev.sluice.event.EnvelopeEncoder;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.Retry;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.KafkaCheck;
import dev.sluice.kafka.KafkaWriter;
import dev.sluice.kafka.KafkaWriter.KafkaWriteException;
import dev.sluice.kafka.PositionStore;
import dev.sluice.kafka.SchemaStore;
import dev.sluice.kafka.SnapshotRequests;
import dev.sluice.kafka.TopicAdmin;
import dev.sluice.kafka.TopicNames;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.position.BinlogPosition;
import dev.sluice.position.Checkpoint;
import dev.sluice.position.Flavor;
import dev.sluice.position.SnapshotProgress;
import dev.sluice.position.TableCopy;
import dev.sluice.schema.SchemaVersions;
import dev.sluice.snapshot.ChunkHandoff;
import dev.sluice.snapshot.Snapshotter;
import dev.sluice.source.BinlogReader;
import dev.sluice.source.BinlogReader.BinlogConnectionException;
import dev.sluice.source.CatalogTypes;
import dev.sluice.source.SchemaBuilder;
import dev.sluice.source.ServerCheck;
import dev.sluice.source.ServerInfo;
import dev.sluice.table.CatalogSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's startup story, one named step each: check the server, reach Kafka (and create the topics), fence
 * older instances (and learn the topics' metadata), choose the start position, start reading, stream. A failure that a reconnect can cure (a dropped connection, a Kafka
 * hiccup) restarts the story from the position committed in Kafka; anything else stops it with a
 * {@link SluiceException} that says what to do.
 */
public final class Pipeline {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final SluiceConfig config;
    private final PipelineStats stats;
    private final LongSupplier clock;
    private final TopicNames names;
    private volatile boolean stopRequested;
    private volatile StreamLoop loop;
    private boolean reachedStreaming;

    public Pipeline(SluiceConfig config, PipelineStats stats, LongSupplier clock) {
        this.config = config;
        this.stats = stats;
        this.clock = clock;
        this.names = new TopicNames(config.kafka().topicPrefix());
    }

    /** Runs until {@link #stop()} (returns normally) or a fatal failure (throws {@link SluiceException}). */
    public void run() throws InterruptedException {
        long backoffMs = 500;
        while (!stopRequested) {
            try {
                runOnce();
                return;
            } catch (BinlogConnectionException | KafkaWriteException | KafkaException e) {
                stats.recordReconnect();
                if (reachedStreaming) {
                    backoffMs = 500; // the last attempt worked for a while: this is a new failure, not the same one
                    reachedStreaming = false;
                }
                log.warn(
                        "{}; reconnecting in {} ms and resuming from the position committed in Kafka",
                        reason(e),
                        backoffMs);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    /** Sluice's own retriable exceptions already say what happened; a raw client exception's root cause does. */
    private static String reason(RuntimeException e) {
        return e instanceof BinlogConnectionException || e instanceof KafkaWriteException
                ? e.getMessage()
                : Retry.rootMessage(e);
    }

    public void stop() {
        stopRequested = true;
        StreamLoop current = loop;
        if (current != null) {
            current.requestStop();
        }
    }

    private void runOnce() throws InterruptedException {
        ServerInfo server = checkServer();
        try (TopicAdmin topics = reachKafka()) {
            topics.ensureInternalTopics(names);
            Collection<String> tableTopics = createCapturedTableTopics(topics);
            try (KafkaWriter writer = fenceOlderInstances(server)) {
                writer.learnTopics(tableTopics);
                Checkpoint start = chooseStartPosition(server, writer);
                SchemaVersions versions = readSchemaVersions();
                stats.recordStart(start.position());
                try (BinlogReader reader = startReading(start.position(), server)) {
                    stream(reader, writer, topics, server, new Start(start, versions));
                }
            }
        }
    }

    private ServerInfo checkServer() {
        ServerInfo server = new ServerCheck(config.source()).run();
        log.info(
                "Source {} is {} {} (server_id {}), binlog at {}",
                config.source().address(),
                server.flavor(),
                server.version(),
                server.serverId(),
                server.current().describe());
        stats.recordServer(
                new PipelineStats.SourceServer(config.source().address(), flavorName(server), server.version()));
        return server;
    }

    private static String flavorName(ServerInfo server) {
        return server.flavor() == Flavor.MARIADB ? "MariaDB" : "MySQL";
    }

    private TopicAdmin reachKafka() {
        return new Retry(config.kafka().connectRetry(), Duration.ofMillis(250))
                .call("Kafka at " + config.kafka().bootstrapServers(), () -> {
                    KafkaCheck.probe(config.kafka()); // names refused, unknown host, silence; a Kafka client would not
                    TopicAdmin topics = new TopicAdmin(config.kafka());
                    try {
                        topics.loadExisting();
                        return topics;
                    } catch (TimeoutException e) {
                        topics.close();
                        throw new TimeoutException(KafkaCheck.silentListenerHint());
                    } catch (Exception e) {
                        topics.close();
                        throw e;
                    }
                });
    }

    /** The topics of every captured table, in one request rather than one by one as rows arrive; returns them. */
    private Collection<String> createCapturedTableTopics(TopicAdmin topics) {
        Map<String, String> tablesByTopic = new LinkedHashMap<>();
        capturedTables().forEach(t -> tablesByTopic.put(names.table(t.database(), t.table()), t.qualifiedName()));
        topics.ensureTableTopics(tablesByTopic);
        return tablesByTopic.keySet();
    }

    private KafkaWriter fenceOlderInstances(ServerInfo server) {
        return KafkaWriter.open(config.kafka(), config.pipeline().name(), names, server.flavor(), server.serverId());
    }

    private Checkpoint chooseStartPosition(ServerInfo server, KafkaWriter writer) {
        Optional<Checkpoint> stored = PositionStore.readCheckpoint(
                config.kafka(), names, config.pipeline().name());
        if (stored.isPresent()) {
            Checkpoint checkpoint = stored.get();
            try {
                requireStillAvailable(checkpoint.position(), server);
            } catch (SluiceException e) {
                if (config.snapshot().mode() != SnapshotMode.WHEN_NEEDED || e.exitCode() != ExitCode.POSITION_LOST) {
                    throw e;
                }
                log.warn(
                        "{} snapshot.mode is when-needed: starting over with a new copy of every captured table.",
                        e.getMessage());
                return startNew(server, writer, true);
            }
            log.info(
                    "Resuming pipeline '{}' from its committed position {}{}",
                    config.pipeline().name(),
                    checkpoint.position().describe(),
                    checkpoint.snapshots().hasPending() ? " (with unfinished table copies)" : "");
            return checkpoint;
        }
        return startNew(server, writer, config.snapshot().mode() != SnapshotMode.NEVER);
    }

    /**
     * A pipeline without a usable position: its starting point, and the copy of every captured table when asked,
     * committed before streaming — a crash before the first data commit must resume here, not at a newer "latest",
     * which would skip everything written in between.
     */
    private Checkpoint startNew(ServerInfo server, KafkaWriter writer, boolean copyTables) {
        BinlogPosition start = switch (config.pipeline().start()) {
            case LATEST -> server.current();
            case EARLIEST -> server.earliest();
        };
        SnapshotProgress snapshots = copyTables ? new SnapshotProgress(capturedTables(), 0) : SnapshotProgress.NONE;
        Checkpoint checkpoint = new Checkpoint(start, snapshots);
        writer.commit(checkpoint, clock.getAsLong());
        log.info(
                "No committed position for pipeline '{}': starting at {} (pipeline.start={}){}",
                config.pipeline().name(),
                start.describe(),
                config.pipeline().start().name().toLowerCase(),
                copyTables
                        ? ", copying " + snapshots.tables().size() + " existing table(s) first (snapshot.mode="
                                + config.snapshot().mode().name().toLowerCase() + ")"
                        : "");
        return checkpoint;
    }

    /** Every base table the filter captures, in name order. */
    private List<TableCopy> capturedTables() {
        try (Connection c = new ServerCheck(config.source()).connect()) {
            return CatalogSchema.capturedTables(c, new TableFilter(config.filter())).stream()
                    .map(t -> TableCopy.pending(t.database(), t.table(), ""))
                    .toList();
        } catch (SQLException e) {
            throw new BinlogConnectionException("Cannot list the captured tables on the source: " + e.getMessage(), e);
        }
    }

    /** Refuses a stored position whose transactions the server no longer has, instead of skipping the gap. */
    private static void requireStillAvailable(BinlogPosition stored, ServerInfo server) {
        if (server.flavor() != stored.gtids().flavor()) {
            throw new SluiceException(
                    ExitCode.POSITION_LOST,
                    "The stored position " + stored.describe() + " is a "
                            + stored.gtids().flavor() + " position but the source is " + server.flavor() + ".");
        }
        if (!server.earliest().gtids().isSubsetOf(stored.gtids())) {
            throw new SluiceException(
                    ExitCode.POSITION_LOST,
                    "The stored position " + stored.describe()
                            + " is older than the oldest binlog the source still has, "
                            + server.earliest().describe()
                            + ": the transactions in between were purged. Re-snapshot the captured tables or start a new "
                            + "pipeline; Sluice will not skip the gap.");
        }
        if (!stored.gtids().isSubsetOf(server.current().gtids())) {
            throw new SluiceException(
                    ExitCode.POSITION_LOST,
                    "The stored position " + stored.describe()
                            + " contains transactions the source "
                            + server.current().describe() + " does not have: this "
                            + "server's history diverged from the one Sluice published. Refusing to continue.");
        }
    }

    /**
     * The table schema versions committed so far: numbering goes on from them. Read after initTransactions, so a
     * version an earlier instance sent in a transaction that never committed is gone, and is written again with the
     * first event that names it.
     */
    private SchemaVersions readSchemaVersions() {
        return new SchemaVersions(SchemaStore.readCommitted(config.kafka(), names));
    }

    /** Where streaming starts: the committed checkpoint and the committed schema versions. */
    private record Start(Checkpoint checkpoint, SchemaVersions versions) {}

    private BinlogReader startReading(BinlogPosition start, ServerInfo server) {
        return BinlogReader.open(config.source(), start, server.charsets());
    }

    private void stream(BinlogReader reader, KafkaWriter writer, TopicAdmin topics, ServerInfo server, Start start)
            throws InterruptedException {
        ChunkHandoff chunks = new ChunkHandoff(
                start.checkpoint().snapshots(), 2 * config.snapshot().parallelism(), stats, clock);
        try (Snapshotter snapshotter = new Snapshotter(
                        config.source(),
                        config.snapshot(),
                        config.kafka().topicPrefix(),
                        server.serverId(),
                        server.charsets(),
                        start.versions(),
                        chunks,
                        () -> stats.lagSeconds(clock.getAsLong()),
                        clock);
                SnapshotRequests requests = new SnapshotRequests(
                        config.kafka(), names, config.pipeline().name())) {
            StreamLoop.Collaborators with = new StreamLoop.Collaborators(
                    reader,
                    writer,
                    topics,
                    names,
                    new TableFilter(config.filter()),
                    new SchemaBuilder(server.charsets(), new CatalogTypes(new ServerCheck(config.source()))),
                    start.versions(),
                    new EnvelopeEncoder(config.kafka().topicPrefix()),
                    stats,
                    chunks,
                    snapshotter,
                    requests);
            snapshotter.start();
            streamWith(with, start.checkpoint().position());
        }
    }

    private void streamWith(StreamLoop.Collaborators with, BinlogPosition start) throws InterruptedException {
        StreamLoop current = new StreamLoop(with, config.source(), config.pipeline(), start, clock);
        loop = current;
        if (stopRequested) {
            current.requestStop();
        }
        stats.recordStreaming(true, clock.getAsLong());
        reachedStreaming = true;
        try {
            current.run();
        } finally {
            stats.recordStreaming(false, clock.getAsLong());
        }
    }
}
