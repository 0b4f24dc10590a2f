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
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * DuckDB's part of the shared SQL session. DuckDB takes PostgreSQL's statement forms ({@code ON CONFLICT ... DO UPDATE
 * ... WHERE}, {@code DELETE ... USING}). It has no row locks: its transactions are optimistic, and of two that write
 * the same row (the same partition's offset, the same table's catalog entry) the later fails with a conflict — which
 * is exactly the claim's "another worker moved the offset first", so a conflict is retried from the stored offsets.
 * Only one process can open the file, so the workers of one loader are the only writers.
 */
final class DuckDbSql implements SqlTarget {
    static final DuckDbSql INSTANCE = new DuckDbSql();

    private DuckDbSql() {}

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

    /** Two sessions' DDL of one table conflicts like any other write: the later one is retried, none waits. */
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
