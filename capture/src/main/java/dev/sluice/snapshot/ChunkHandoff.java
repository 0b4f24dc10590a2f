package dev.sluice.snapshot;

import dev.sluice.monitor.PipelineStats;
import dev.sluice.position.BinlogCoordinates;
import dev.sluice.position.SnapshotProgress;
import dev.sluice.position.TableCopy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where snapshot chunks meet the binlog stream (docs/snapshots.md). Chunk readers deliver chunks read at exact
 * binlog coordinates; the stream thread publishes each one, in key order, once its own read position has reached
 * the chunk's read point, leaving out rows the stream has already published a newer change of (the DBLog
 * reconciliation). That way every key's events in the topic are in source order: the changes before the read point,
 * the copied row, the changes after it. The stream never waits for a chunk and never goes backwards.
 *
 * <p>It also owns the copy progress ({@link SnapshotProgress}) that the stream commits with each Kafka transaction.
 * Thread-safe: the stream thread and the chunk readers share it under one lock; the hot-path check
 * {@link #watching} is a volatile read.
 */
public final class ChunkHandoff {
    private static final Logger log = LoggerFactory.getLogger(ChunkHandoff.class);
    private static final long PROGRESS_LOG_INTERVAL_MS = 5_000;

    private final Object lock = new Object();
    private final int maxReadyChunks;
    private final java.util.function.LongSupplier clock;
    private final Map<ByteBuffer, BinlogCoordinates> changedKeys = new HashMap<>();
    private List<TableCopy> tables;
    private long requestOffset;
    private TableJob job;
    private BinlogCoordinates keylessChangeAt;
    private boolean stopped;
    private long lastProgressLogMs;
    private volatile BinlogCoordinates readThrough;
    private volatile String watched;

    private final PipelineStats stats;

    public ChunkHandoff(
            SnapshotProgress start, int maxReadyChunks, PipelineStats stats, java.util.function.LongSupplier clock) {
        this.stats = stats;
        this.tables = new ArrayList<>(start.tables());
        this.requestOffset = start.requestOffset();
        this.maxReadyChunks = maxReadyChunks;
        this.clock = clock;
    }

    // --- the stream thread ------------------------------------------------------------------------------------

    /** The stream has read everything before these coordinates. */
    public void advance(String file, long nextPosition) {
        if (nextPosition > 0) {
            BinlogCoordinates at = new BinlogCoordinates(file, nextPosition);
            BinlogCoordinates before = readThrough;
            if (before == null || at.isAfter(before)) {
                readThrough = at;
            }
        }
    }

    /** Whether changes of this table must be remembered: a copy of it is running. */
    public boolean watching(String qualifiedName) {
        return qualifiedName.equals(watched);
    }

    /**
     * The stream published a change of the watched table's row {@code key} (null: a table without key) in a
     * transaction that starts at {@code at}.
     */
    public void recordChange(byte[] key, BinlogCoordinates at) {
        synchronized (lock) {
            if (key == null) {
                keylessChangeAt = at;
            } else {
                changedKeys.put(ByteBuffer.wrap(key), at);
            }
        }
    }

    /**
     * A DDL statement in {@code database} (empty: a statement without default database, which could touch any):
     * chunks of a table there that are not published yet may have been read with the old definition, so they are
     * read again, from the last published key.
     */
    public void schemaChanged(String database) {
        synchronized (lock) {
            if (job != null && !job.finished && (database.isEmpty() || database.equals(job.copy.database()))) {
                log.info(
                        "Schema change in {} while copying {}: re-reading its unpublished chunks",
                        database.isEmpty() ? "(no default database)" : database,
                        job.copy.qualifiedName());
                job.restartFromPublished();
                clearChanges();
                lock.notifyAll();
            }
        }
    }

    /**
     * The next chunk the stream may publish now, its rows reconciled, or null. Called between source transactions.
     */
    public Publishable takeReady() {
        synchronized (lock) {
            BinlogCoordinates through = readThrough;
            if (job == null || through == null) {
                return null;
            }
            Chunk chunk = job.ready.get(job.nextEmitSeq);
            if (chunk == null || chunk.readAt().isAfter(through)) {
                return null;
            }
            job.ready.remove(chunk.seq());
            if (job.keyless && keylessChangeAt != null && !keylessChangeAt.isBefore(chunk.readAt())) {
                // Rows without a key cannot be matched with the changes published since the read: read it again.
                job.conflicts++;
                log.info(
                        "Table {} (no primary key) changed while it was being copied; reading it again (attempt {})",
                        job.copy.qualifiedName(),
                        job.conflicts + 1);
                job.restartFromPublished();
                clearChanges();
                lock.notifyAll();
                return null;
            }
            List<Chunk.Row> rows = new ArrayList<>(chunk.rows().size());
            for (Chunk.Row row : chunk.rows()) {
                BinlogCoordinates changed = row.key() == null ? null : changedKeys.get(ByteBuffer.wrap(row.key()));
                if (changed == null || changed.isBefore(chunk.readAt())) { // the read saw that change: keep the row
                    rows.add(row);
                }
            }
            job.nextEmitSeq++;
            job.rowsSinceStart += rows.size();
            TableCopy updated =
                    job.copy.afterChunk(chunk.last() ? job.copy.after() : chunk.upTo(), rows.size(), chunk.last());
            replace(job.copy, updated);
            job.copy = updated;
            pruneChanges();
            logProgress(chunk.last());
            if (chunk.last()) {
                finishJob();
            }
            lock.notifyAll();
            return new Publishable(chunk, rows, chunk.rows().size() - rows.size());
        }
    }

    /** A chunk to publish: {@code rows} are what is left of the chunk's rows after reconciliation. */
    public record Publishable(Chunk chunk, List<Chunk.Row> rows, int superseded) {}

    /** The copy progress as of the chunks handed out so far: what the next Kafka commit makes durable. */
    public SnapshotProgress progress() {
        synchronized (lock) {
            return new SnapshotProgress(tables, requestOffset);
        }
    }

    /** A {@code sluice snapshot} request read from the request topic (null: not one for a captured table). */
    public void addRequest(TableCopy copy, long nextRequestOffset) {
        synchronized (lock) {
            if (copy != null) {
                tables.add(copy);
                lock.notifyAll();
            }
            requestOffset = nextRequestOffset;
        }
    }

    public long requestOffset() {
        synchronized (lock) {
            return requestOffset;
        }
    }

    // --- the chunk readers --------------------------------------------------------------------------------------

    /** Blocks until a table copy is pending; null once stopped. */
    TableCopy awaitPendingTable() throws InterruptedException {
        synchronized (lock) {
            while (!stopped) {
                for (TableCopy copy : tables) {
                    if (!copy.finished()) {
                        return copy;
                    }
                }
                lock.wait();
            }
            return null;
        }
    }

    /** Starts copying {@code copy}; from now on changes of the table are remembered. */
    TableJob startJob(TableCopy copy, boolean keyless, long estimatedRows) {
        synchronized (lock) {
            TableCopy estimated = copy.estimatedRows() < 0 ? copy.withEstimate(estimatedRows) : copy;
            replace(copy, estimated);
            job = new TableJob(estimated, keyless, clock.getAsLong());
            clearChanges();
            watched = estimated.qualifiedName();
            publishStatus(estimated, 0);
            log.info(
                    "Snapshot of {} {}: ~{} rows{}",
                    estimated.qualifiedName(),
                    estimated.chunks() > 0 ? "resumes after chunk " + estimated.chunks() : "starts",
                    estimated.estimatedRows(),
                    estimated.where().isEmpty() ? "" : " where " + estimated.where());
            return job;
        }
    }

    /** The table no longer exists: what was published stays; the copy ends. */
    void tableDropped(TableCopy copy) {
        synchronized (lock) {
            TableCopy current = job != null && job.copy.qualifiedName().equals(copy.qualifiedName()) ? job.copy : copy;
            log.warn(
                    "Table {} was dropped during its snapshot; {} rows were copied before. The copy ends here; the "
                            + "stream publishes the DROP.",
                    current.qualifiedName(),
                    current.rowsCopied());
            TableCopy dropped = current.dropped();
            replace(current, dropped);
            if (job != null) {
                job.copy = dropped;
                finishJob();
            }
            lock.notifyAll();
        }
    }

    /**
     * Plans the next chunk of {@code job}: its lower bound and generation. Null once every chunk is planned; the
     * caller then {@link #awaitReplanOrEnd}s.
     */
    TableJob.Plan nextPlan(TableJob j) {
        synchronized (lock) {
            if (j.finished || j.exhausted || stopped) {
                return null;
            }
            return new TableJob.Plan(j.nextPlanSeq, j.generation, j.cursor);
        }
    }

    /** Records the planned chunk's upper bound and registers it as being read; false if the plan went stale. */
    boolean planned(TableJob j, TableJob.Plan plan, java.util.List<Object> upTo) {
        synchronized (lock) {
            if (plan.generation() != j.generation || j.finished || stopped) {
                return false;
            }
            j.cursor = upTo;
            j.exhausted = upTo == null;
            j.nextPlanSeq++;
            BinlogCoordinates floor = readThrough;
            j.inflight.put(plan.seq(), floor == null ? new BinlogCoordinates("", 0) : floor);
            return true;
        }
    }

    /** A read chunk; blocks while too many chunks wait for the stream (memory stays bounded). */
    void deliver(TableJob j, Chunk chunk) throws InterruptedException {
        synchronized (lock) {
            if (chunk.generation() != j.generation || j.finished) {
                return; // read with a definition that changed, or the table is gone: dropped, read again elsewhere
            }
            j.inflight.remove(chunk.seq());
            j.ready.put(chunk.seq(), chunk);
            while (!stopped && !j.finished && j.generation == chunk.generation() && j.ready.size() > maxReadyChunks) {
                lock.wait();
            }
        }
    }

    /** A chunk read failed in a way worth retrying (the definition changed under it): plan it again. */
    void abandon(TableJob j, TableJob.Plan plan) {
        synchronized (lock) {
            if (plan.generation() == j.generation && !j.finished) {
                j.restartFromPublished();
                clearChanges();
                lock.notifyAll();
            }
        }
    }

    /** Waits until the job needs more chunks planned (after a restart) or has ended; true if it ended. */
    boolean awaitReplanOrEnd(TableJob j) throws InterruptedException {
        synchronized (lock) {
            while (!stopped && !j.finished && j.exhausted) {
                lock.wait();
            }
            return stopped || j.finished;
        }
    }

    boolean stopped() {
        synchronized (lock) {
            return stopped;
        }
    }

    public void stop() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
    }

    // --- internals (under lock) ---------------------------------------------------------------------------------

    private void finishJob() {
        job.finished = true;
        watched = null;
        publishStatus(job.copy, 0);
        clearChanges();
    }

    private void replace(TableCopy old, TableCopy updated) {
        for (int i = 0; i < tables.size(); i++) {
            if (tables.get(i) == old || tables.get(i).equals(old)) {
                tables.set(i, updated);
                return;
            }
        }
        throw new IllegalStateException("Table copy " + old.qualifiedName() + " is not in the snapshot progress");
    }

    private PipelineStats.SnapshotStatus publishStatus(TableCopy c, double rowsPerSecond) {
        PipelineStats.SnapshotStatus status = PipelineStats.SnapshotStatus.of(
                c.rowsCopied(), c.estimatedRows(), c.chunks(), rowsPerSecond, c.finished());
        stats.recordSnapshot(c.qualifiedName(), status);
        return status;
    }

    /** Whether a copy is running: the stream then polls more often, so chunks do not wait for binlog events. */
    public boolean active() {
        return watched != null;
    }

    private void clearChanges() {
        changedKeys.clear();
        keylessChangeAt = null;
    }

    /**
     * A remembered change only matters to a chunk read at or before its transaction's start. Every chunk being read
     * or waiting was read at or after its registration point, so changes before the oldest of those can be forgotten.
     */
    private void pruneChanges() {
        if (job.inflight.isEmpty() && job.ready.isEmpty()) {
            changedKeys.clear();
            return;
        }
        if (changedKeys.size() < 10_000) {
            return;
        }
        BinlogCoordinates floor = null;
        for (BinlogCoordinates c : job.inflight.values()) {
            floor = floor == null || floor.isAfter(c) ? c : floor;
        }
        for (Chunk c : job.ready.values()) {
            floor = floor == null || floor.isAfter(c.readAt()) ? c.readAt() : floor;
        }
        BinlogCoordinates f = floor;
        changedKeys.values().removeIf(at -> at.isBefore(f));
    }

    private void logProgress(boolean last) {
        long now = clock.getAsLong();
        double seconds = Math.max(0.001, (now - job.startedMs) / 1000.0);
        double rate = job.rowsSinceStart / seconds;
        PipelineStats.SnapshotStatus status = publishStatus(job.copy, rate);
        if (!last && now - lastProgressLogMs < PROGRESS_LOG_INTERVAL_MS) {
            return;
        }
        lastProgressLogMs = now;
        TableCopy c = job.copy;
        if (last) {
            log.info(
                    "Snapshot of {} done: {} rows in {} chunks, {} rows/s",
                    c.qualifiedName(),
                    c.rowsCopied(),
                    c.chunks(),
                    Math.round(rate));
        } else {
            log.info(
                    "Snapshot of {}: {} of ~{} rows ({}), {} chunks, {} rows/s, ETA {}",
                    c.qualifiedName(),
                    c.rowsCopied(),
                    c.estimatedRows(),
                    c.estimatedRows() <= 0 ? "?%" : Math.round(status.fraction() * 100) + "%",
                    c.chunks(),
                    Math.round(rate),
                    status.etaSeconds() < 0 ? "unknown" : status.etaSeconds() + " s");
        }
    }
}
