package dev.sluice.snapshot;

import dev.sluice.config.SluiceConfig;
import dev.sluice.event.EnvelopeEncoder;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.position.TableCopy;
import dev.sluice.schema.CharsetMap;
import dev.sluice.schema.SchemaVersions;
import dev.sluice.schema.TableSchema;
import dev.sluice.table.CatalogSchema;
import dev.sluice.table.KeyColumns;
import dev.sluice.table.SourceConnection;
import dev.sluice.table.TableReader;
import dev.sluice.table.Throttle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pending table copies, one table at a time, with {@code snapshot.parallelism} reader threads per table,
 * each on its own connection. Readers plan chunks one after another (keyset pagination needs the previous bound)
 * and read them in parallel; {@link ChunkHandoff} hands them to the stream in key order.
 *
 * <p>A failure the user must fix (a missing grant, a bad {@code --where}) is handed to the stream thread, which
 * stops the pipeline with it; anything else (a dropped connection) is retried after a pause, from the last
 * published chunk.
 */
public final class Snapshotter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);
    private static final long RETRY_PAUSE_MS = 2_000;

    private final SluiceConfig.Source source;
    private final SluiceConfig.Snapshot config;
    private final String topicPrefix;
    private final long serverId;
    private final CharsetMap charsets;
    private final SchemaVersions versions;
    private final ChunkHandoff handoff;
    private final Throttle throttle;
    private final LongSupplier clock;
    private final Thread coordinator;
    private final List<Thread> readers = new ArrayList<>();
    private volatile SluiceException failure;

    public Snapshotter(
            SluiceConfig.Source source,
            SluiceConfig.Snapshot config,
            String topicPrefix,
            long serverId,
            CharsetMap charsets,
            SchemaVersions versions,
            ChunkHandoff handoff,
            LongSupplier streamLagSeconds,
            LongSupplier clock) {
        this.source = source;
        this.config = config;
        this.topicPrefix = topicPrefix;
        this.serverId = serverId;
        this.charsets = charsets;
        this.versions = versions;
        this.handoff = handoff;
        this.throttle = new Throttle(limits(config), streamLagSeconds, clock);
        this.clock = clock;
        this.coordinator = new Thread(this::runCopies, "sluice-snapshot");
        this.coordinator.setDaemon(true);
    }

    public void start() {
        coordinator.start();
    }

    /** A failure the pipeline must stop for, or null. Checked by the stream thread. */
    public SluiceException failure() {
        return failure;
    }

    private void runCopies() {
        try {
            TableCopy copy;
            while ((copy = handoff.awaitPendingTable()) != null) {
                copyTable(copy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SluiceException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new SluiceException(ExitCode.DATA, "The snapshot stopped unexpectedly: " + e, e);
        }
    }

    private void copyTable(TableCopy copy) throws InterruptedException {
        TableSchema schema;
        long estimate;
        while (true) {
            try (Connection c = SourceConnection.open(source)) {
                var found = CatalogSchema.read(c, copy.database(), copy.table(), charsets);
                if (found.isEmpty()) {
                    handoff.tableDropped(copy);
                    return;
                }
                schema = found.get();
                estimate = estimatedRows(c, copy);
                break;
            } catch (SQLException e) {
                retryLater(copy, e);
            }
        }
        boolean keyless = KeyColumns.of(schema).isEmpty();
        if (keyless) {
            log.warn(
                    "Table {} has no primary key{}: it is copied in one consistent read (one transaction for the "
                            + "whole table), and read again if it changes before the stream reaches that read's point. "
                            + "Consumers cannot tell its rows apart by key.",
                    copy.qualifiedName(),
                    schema.hasPrimaryKey()
                            ? " usable for chunking (a FLOAT, BIT, ENUM, SET or spatial key column)"
                            : "");
        }
        TableJob job = handoff.startJob(copy, keyless, estimate);
        ReentrantLock planning = new ReentrantLock();
        int threads = keyless ? 1 : config.parallelism();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> readChunks(job, planning), "sluice-snapshot-reader-" + i);
            t.setDaemon(true);
            synchronized (readers) {
                readers.add(t);
            }
            started.add(t);
            t.start();
        }
        for (Thread t : started) {
            t.join();
        }
    }

    private void readChunks(TableJob job, ReentrantLock planning) {
        TableCopy copy = job.copy;
        EnvelopeEncoder encoder = new EnvelopeEncoder(topicPrefix);
        while (!handoff.stopped() && failure == null) {
            try (Connection c = SourceConnection.open(source)) {
                ChunkReader reader = new ChunkReader(
                        c,
                        charsets,
                        copy.database(),
                        copy.table(),
                        copy.where(),
                        config.chunkSize(),
                        encoder,
                        serverId,
                        versions);
                reader.refreshSchema();
                if (readUntilDone(job, planning, reader, c)) {
                    return;
                }
            } catch (TableReader.TableMissingException e) {
                handoff.tableDropped(copy);
                return;
            } catch (InterruptedException e) {
                return;
            } catch (SluiceException e) {
                failure = e;
                return;
            } catch (RuntimeException e) {
                // A bug or a value Sluice cannot read: stop the pipeline at its committed position, never skip rows.
                failure = new SluiceException(
                        ExitCode.DATA,
                        "The snapshot of " + copy.qualifiedName() + " failed: " + e
                                + ". The pipeline stops at its committed position; nothing was skipped.",
                        e);
                return;
            } catch (SQLException e) {
                SluiceException fatal = fatal(copy, e);
                if (fatal != null) {
                    failure = fatal;
                    return;
                }
                try {
                    retryLater(copy, e);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Plans and reads chunks until the table is done (true) or the connection must be replaced. */
    private boolean readUntilDone(TableJob job, ReentrantLock planning, ChunkReader reader, Connection c)
            throws SQLException, InterruptedException {
        while (true) {
            throttle.await(config.chunkSize(), c);
            TableJob.Plan plan;
            java.util.List<Object> upTo;
            planning.lockInterruptibly();
            try {
                plan = handoff.nextPlan(job);
                if (plan == null) {
                    upTo = null;
                } else {
                    // The schema from this reader's last read; read() checks it is still current.
                    upTo = reader.pagedByKey() ? reader.boundary(plan.after()) : null;
                    if (!handoff.planned(job, plan, upTo)) {
                        continue;
                    }
                }
            } finally {
                planning.unlock();
            }
            if (plan == null) {
                if (handoff.awaitReplanOrEnd(job)) {
                    return true;
                }
                continue;
            }
            try {
                handoff.deliver(job, reader.read(plan, upTo, clock.getAsLong()));
            } catch (TableReader.DefinitionChangedException e) {
                log.info(
                        "The definition of {} changed during a chunk read; reading from the last published chunk "
                                + "again",
                        job.copy.qualifiedName());
                handoff.abandon(job, plan);
            } catch (SQLException | RuntimeException e) {
                handoff.abandon(job, plan);
                throw e;
            }
        }
    }

    private void retryLater(TableCopy copy, SQLException e) throws InterruptedException {
        log.warn(
                "Snapshot of {}: {} (error {}); retrying in {} ms from the last published chunk",
                copy.qualifiedName(),
                e.getMessage(),
                e.getErrorCode(),
                RETRY_PAUSE_MS);
        Thread.sleep(RETRY_PAUSE_MS);
    }

    /** Errors only the user can fix: stop the pipeline with what to do, rather than retry forever. */
    private SluiceException fatal(TableCopy copy, SQLException e) {
        return switch (e.getErrorCode()) {
            case 1142, 1143, 1044 ->
                new SluiceException(
                        ExitCode.SOURCE_NOT_READY,
                        "Snapshot of "
                                + copy.qualifiedName() + " refused: " + e.getMessage()
                                + ". Grant SELECT on it to source.user '"
                                + source.user() + "'.",
                        e);
            case 1054, 1064, 1582, 1583 ->
                new SluiceException(
                        ExitCode.CONFIG,
                        "Snapshot of " + copy.qualifiedName()
                                + " failed: " + e.getMessage()
                                + (copy.where().isEmpty() ? "" : " (its --where is: " + copy.where() + ")")
                                + ". Request the copy again with a valid condition.",
                        e);
            default -> null;
        };
    }

    /** The copy's bounds, from the snapshot.* settings that pause reasons name. */
    static Throttle.Limits limits(SluiceConfig.Snapshot config) {
        return new Throttle.Limits("snapshot", config.maxRowsPerSecond(), config.maxLag(), config.maxReplicaLag());
    }

    private static long estimatedRows(Connection c, TableCopy copy) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT TABLE_ROWS FROM information_schema.TABLES " + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            st.setString(1, copy.database());
            st.setString(2, copy.table());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public void close() {
        handoff.stop();
        coordinator.interrupt();
        List<Thread> all;
        synchronized (readers) {
            all = new ArrayList<>(readers);
        }
        all.forEach(Thread::interrupt);
        try {
            coordinator.join(10_000);
            for (Thread t : all) {
                t.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
