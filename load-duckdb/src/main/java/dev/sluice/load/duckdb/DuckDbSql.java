package dev.sluice.load.duckdb;

import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.load.TargetUnavailableException;
import dev.sluice.load.sql.CellText;
import dev.sluice.load.sql.ColumnTypes;
import dev.sluice.load.sql.Dialect;
import dev.sluice.load.sql.OwnTables;
import dev.sluice.load.sql.SqlTarget;
import dev.sluice.load.sql.ValuePolicy;
import dev.sluice.schema.ColumnDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DuckDB's part of the shared SQL session. DuckDB takes PostgreSQL's statement forms ({@code ON CONFLICT ... DO UPDATE
 * ... WHERE}, {@code DELETE ... USING}). It has no row locks: its transactions are optimistic, and two that run side
 * by side fail in ways that are not all conflicts — an upsert of a key another transaction inserted and committed
 * meanwhile fails as a duplicate key. So the batches on one file apply one at a time ({@link #beforeBatch}: the
 * workers still read and fold in parallel), and each batch's claim reads the offsets the previous one committed. Only
 * one process can open the file, so a lock per file in this process serializes every writer. A conflict that still
 * occurs (a session opened outside the loader in this process) is retried from the stored offsets.
 */
final class DuckDbSql implements SqlTarget {
    /** For what does not write batches: the dry run, the loader's own tables at open, errors. */
    static final DuckDbSql INSTANCE = new DuckDbSql(new ReentrantLock());
    /** Per file, the lock its batches take; one loader (or a test's two) in this process share it. */
    private static final Map<Path, ReentrantLock> WRITERS = new ConcurrentHashMap<>();

    /** Held by the worker thread whose batch is in its transaction. */
    private final ReentrantLock writer;

    private DuckDbSql(ReentrantLock writer) {
        this.writer = writer;
    }

    /** The sessions' part for {@code file}, with its one writer lock. */
    static DuckDbSql forFile(Path file) {
        return new DuckDbSql(WRITERS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock()));
    }

    @Override
    public void beforeBatch() {
        writer.lock();
    }

    @Override
    public void afterBatch() {
        writer.unlock();
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    public OwnTables.Claim claim() {
        return OwnTables.Claim.WRITE_CONFLICT;
    }

    @Override
    public ColumnTypes types() {
        return DuckDbTypes.INSTANCE;
    }

    @Override
    public CellText cells() {
        return DuckDbCells.INSTANCE;
    }

    @Override
    public Staging staging(String name, List<ColumnDefinition> columns, ValuePolicy values) {
        return new DuckDbStage(name, columns, values);
    }

    /** The batch already holds the file's writer lock ({@link #beforeBatch}): no other DDL runs meanwhile. */
    @Override
    public void lockDdl(Connection c) {}

    @Override
    public RuntimeException translate(SQLException e, String doing) {
        String message = String.valueOf(e.getMessage());
        if (isConflict(message)) {
            return new TargetUnavailableException(
                    "Another worker wrote the same rows first while " + doing + " (" + message + ")", e);
        }
        if (message.contains("Connection was closed") || message.contains("database has been invalidated")) {
            return new TargetUnavailableException("The DuckDB file failed while " + doing + ": " + message, e);
        }
        return new SluiceException(
                ExitCode.DATA,
                "DuckDB refused " + doing + ": " + message + ". Nothing of the batch is loaded; the loader stops "
                        + "before it. If a target table was changed by hand, restore its definition (or drop it to have "
                        + "it created again) and start the loader again: it continues with this batch.",
                e);
    }

    /** DuckDB's optimistic concurrency: "TransactionContext Error: Conflict on update!", "write-write conflict". */
    private static boolean isConflict(String message) {
        return message.contains("TransactionContext Error") && message.contains("onflict")
                || message.contains("write-write conflict");
    }
}
