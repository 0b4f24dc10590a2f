package dev.sluice.load.postgresql;

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
 * {@code sluice load --dry-run} against PostgreSQL or Redshift: the DDL the loader would run — its own tables (as
 * {@link OwnTables#create} runs them), then per table a CREATE TABLE, or the ALTER TABLEs from the version the target
 * has ({@code _sluice_tables}) to the newest one — in a read-only transaction that is rolled back: nothing changes.
 */
final class DryRun {
    private DryRun() {}

    static List<String> plan(LoadConfig config, Dialect dialect, List<SchemaVersion> tables) {
        try (Connection c = PostgresTarget.connect(config)) {
            c.setReadOnly(true);
            OwnTables own = new OwnTables(c, dialect, config.target().ownSchema());
            TableDdl ddl = new TableDdl(config.load().deletes(), config.load().droppedColumns());
            List<String> statements = new ArrayList<>(own.createStatements());
            boolean loadedBefore = own.exist();
            for (SchemaVersion v : tables) {
                Optional<SchemaVersion> applied =
                        loadedBefore ? own.appliedVersion(v.qualifiedName()) : Optional.empty();
                statements.addAll(follow(config, ddl, v, applied));
            }
            c.rollback();
            return statements;
        } catch (SQLException e) {
            throw PostgresSession.translate(e, "planning the DDL in " + PostgresTarget.address(config));
        }
    }

    /** What takes the target table from {@code applied} (none: it does not exist) to {@code newest}. */
    private static List<String> follow(
            LoadConfig config, TableDdl ddl, SchemaVersion newest, Optional<SchemaVersion> applied) {
        TargetTable target = TargetTable.of(new TopicNames.Table(newest.database(), newest.table()), config.target());
        try {
            if (applied.isEmpty()) {
                return ddl.create(target, newest);
            }
            return newest.version() > applied.get().version() ? ddl.evolve(target, applied.get(), newest) : List.of();
        } catch (SluiceException refused) {
            return List.of("-- " + refused.getMessage().replace("\n", " "));
        }
    }
}
