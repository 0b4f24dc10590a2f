package dev.sluice.load.postgresql;

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
import java.sql.Statement;
import java.util.List;

/**
 * PostgreSQL's and Redshift's part of the shared SQL session: {@code COPY} (or multi-row inserts) into staging, the
 * PostgreSQL types, the advisory lock around DDL, and what their SQLSTATEs mean.
 */
record PostgresSql(Dialect dialect) implements SqlTarget {
    /** The advisory lock key of the loaders' DDL in a target database: "sluice" in ASCII. */
    private static final long DDL_LOCK = 0x736c75696365L;

    @Override
    public OwnTables.Claim claim() {
        return dialect.claim();
    }

    @Override
    public ColumnTypes types() {
        return PostgresTypes.INSTANCE;
    }

    @Override
    public CellText cells() {
        return CopyText.CELLS;
    }

    @Override
    public Staging staging(String name, List<ColumnDefinition> columns, ValuePolicy values) {
        return new Stage(name, columns, dialect, values);
    }

    /**
     * Two workers (or loaders) creating tables in one new schema at once collide in PostgreSQL's catalog — {@code
     * CREATE SCHEMA IF NOT EXISTS} does not wait for a concurrent one, it fails on its unique index — and two loaders
     * of one table would both create it. Redshift needs none: its claim locks the whole offsets table, so its batches
     * never run together.
     */
    @Override
    public void lockDdl(Connection c) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
            }
        }
    }

    @Override
    public RuntimeException translate(SQLException e, String doing) {
        return translateError(e, doing);
    }

    /**
     * The one decision of what a target error means: a lost or busy connection is retried from the stored offsets;
     * a refused login or privilege stops with exit 3; anything else is the data or the target table's definition,
     * which retrying cannot fix: stop with exit 6 naming what was being done.
     */
    static RuntimeException translateError(SQLException e, String doing) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.isEmpty()
                || state.startsWith("08")
                || state.startsWith("57P")
                || state.startsWith("53")
                || state.equals("40001")
                || state.equals("40P01")) {
            return new TargetUnavailableException(
                    "The target connection failed while " + doing + ": " + e.getMessage(), e);
        }
        if (state.startsWith("28") || state.equals("42501")) {
            return new SluiceException(
                    ExitCode.SOURCE_NOT_READY,
                    "The target refused the loader while " + doing + ": " + e.getMessage() + " (SQLSTATE " + state
                            + "). Check target.user and target.password, and that the user may create schemas and "
                            + "tables in the target database (docs/load.md lists the privileges).");
        }
        return new SluiceException(
                ExitCode.DATA,
                "The target refused " + doing + ": " + e.getMessage() + " (SQLSTATE " + state + "). Nothing of the "
                        + "batch is loaded; the loader stops before it. If a target table was changed by hand, "
                        + "restore its definition (or drop it to have it created again) and start the loader again: "
                        + "it continues with this batch.",
                e);
    }
}
