package dev.sluice.load.sql;

import dev.sluice.schema.ColumnDefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What one SQL target adds to the loader's shared transaction ({@link SqlSession}): its statement forms, types, cell
 * text, staging, DDL lock and the one decision of what its errors mean.
 */
public interface SqlTarget {
    /** The statement forms of the guarded apply. */
    Dialect dialect();

    /** How a batch claims its partitions' offsets. */
    OwnTables.Claim claim();

    ColumnTypes types();

    CellText cells();

    /** A new staging table {@code name} for a schema version's {@code columns} (those the target table has). */
    Staging staging(String name, List<ColumnDefinition> columns, ValuePolicy values);

    /** Makes concurrent DDL of other sessions wait until this batch commits; nothing where none can collide. */
    void lockDdl(Connection c) throws SQLException;

    /**
     * Called before a batch's first statement, and {@link #afterBatch} after its commit or rollback, on the worker's
     * thread: a target whose transactions cannot run side by side serializes the batches here. Nothing by default.
     */
    default void beforeBatch() {}

    default void afterBatch() {}

    /** The one decision of what a target error means: retry from the stored offsets, or stop with an exit code. */
    RuntimeException translate(SQLException e, String doing);

    /** A session's temporary staging table: filled per batch, read by the apply's set-based statements. */
    interface Staging {
        /** What the apply's statements read the staged rows from. */
        String name();

        List<String> columnNames();

        void create(Connection c) throws SQLException;

        /** Empties the table and loads {@code rows} into it. */
        void load(Connection c, List<dev.sluice.load.RowChange> rows) throws SQLException;
    }
}
