package dev.sluice.load.sql;

import dev.sluice.config.LoadConfig;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.TopicNames;
import dev.sluice.schema.SchemaVersion;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code sluice load --dry-run} against an SQL target: the DDL the loader would run — its own tables (as
 * {@link OwnTables#create} runs them), then per table a CREATE TABLE, or the ALTER TABLEs from the version the target
 * has ({@code _sluice_tables}) to the newest one. It only reads: the caller opens the target read-only, or not at all
 * when the target does not exist yet ({@code c} null), and rolls back.
 */
public final class DdlPlan {
    private DdlPlan() {}

    public static List<String> plan(Connection c, LoadConfig config, SqlTarget sql, List<SchemaVersion> tables)
            throws SQLException {
        OwnTables own = new OwnTables(c, sql.claim(), config.target().ownSchema());
        TableDdl ddl = new TableDdl(config.load().deletes(), config.load().droppedColumns(), sql.types());
        List<String> statements = new ArrayList<>(own.createStatements());
        boolean loadedBefore = c != null && own.exist();
        for (SchemaVersion v : tables) {
            Optional<SchemaVersion> applied = loadedBefore ? own.appliedVersion(v.qualifiedName()) : Optional.empty();
            statements.addAll(follow(config, ddl, sql, v, applied));
        }
        return statements;
    }

    /** What takes the target table from {@code applied} (none: it does not exist) to {@code newest}. */
    private static List<String> follow(
            LoadConfig config, TableDdl ddl, SqlTarget sql, SchemaVersion newest, Optional<SchemaVersion> applied) {
        try {
            TargetTable target = TargetTable.of(
                    new TopicNames.Table(newest.database(), newest.table()),
                    config.target(),
                    sql.types().maxIdentifierBytes());
            if (applied.isEmpty()) {
                return ddl.create(target, newest);
            }
            return newest.version() > applied.get().version() ? ddl.evolve(target, applied.get(), newest) : List.of();
        } catch (SluiceException refused) {
            return List.of("-- " + refused.getMessage().replace("\n", " "));
        }
    }
}
