package dev.sluice.load.sql;

import dev.sluice.config.ConfigKeys.DeleteMode;
import dev.sluice.config.ConfigKeys.Unrepresentable;
import dev.sluice.config.LoadConfig;
import dev.sluice.event.ChangeEvent;
import dev.sluice.failure.CrashPoints;
import dev.sluice.kafka.TopicNames;
import dev.sluice.load.Batch;
import dev.sluice.load.RowChange;
import dev.sluice.load.TableChanges;
import dev.sluice.load.TargetSession;
import dev.sluice.schema.ColumnDefinition;
import dev.sluice.schema.SchemaVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's connection to an SQL target (PostgreSQL, Redshift, DuckDB). A batch is one transaction: claim the
 * batch's offsets ({@link OwnTables#claim}), follow each table to the newest schema version of its changes
 * ({@link TableDdl}), stage each table's changes ({@link SqlTarget.Staging}) and apply them with the dialect's guarded
 * statements, store the new offsets, commit. Any failure rolls all of it back.
 *
 * <p>Used by its worker's thread only.
 */
public final class SqlSession implements TargetSession {
    private static final Logger log = LoggerFactory.getLogger(SqlSession.class);

    private final Connection c;
    private final LoadConfig config;
    private final SqlTarget sql;
    private final Dialect dialect;
    private final OwnTables own;
    private final TableDdl ddl;
    private final NulledValues nulled;
    /** Source table → the schema version its target table has; refilled from the target after a rollback. */
    private final Map<String, SchemaVersion> applied = new HashMap<>();
    /** Target table → its columns; refilled after DDL and after a rollback. */
    private final Map<String, Set<String>> targetColumns = new HashMap<>();
    /** (target table, version) → its staging table; forgotten after a rollback, which drops them. */
    private final Map<String, SqlTarget.Staging> stages = new HashMap<>();
    /** Names staging tables; never reused, since a forgotten one may still exist in the session. */
    private int stagesCreated;

    public SqlSession(Connection c, LoadConfig config, SqlTarget sql, NulledValues nulled) {
        this.c = c;
        this.nulled = nulled;
        this.config = config;
        this.sql = sql;
        this.dialect = sql.dialect();
        this.own = new OwnTables(c, sql.claim(), config.target().ownSchema());
        this.ddl = new TableDdl(config.load().deletes(), config.load().droppedColumns(), sql.types());
    }

    @Override
    public Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions) {
        try {
            return own.storedOffsets(partitions);
        } catch (SQLException e) {
            throw sql.translate(e, "reading the stored offsets");
        }
    }

    @Override
    public Applied apply(Batch batch) {
        sql.beforeBatch();
        try {
            return applyInTransaction(batch);
        } finally {
            sql.afterBatch();
        }
    }

    private Applied applyInTransaction(Batch batch) {
        try {
            CrashPoints.reached(CrashPoints.LOAD_BEFORE_CLAIM);
            if (!own.claim(batch.offsets(), config.load().name())) {
                c.rollback();
                return Applied.CONFLICT;
            }
            for (TableChanges table : batch.tables()) {
                applyTable(table);
            }
            own.store(batch.offsets(), config.load().name());
            CrashPoints.reached(CrashPoints.LOAD_BEFORE_COMMIT);
            c.commit();
            nulled.committed();
            CrashPoints.reached(CrashPoints.LOAD_AFTER_COMMIT);
            return Applied.APPLIED;
        } catch (SQLException e) {
            rollback();
            String batchOffsets = " (batch offsets " + batch.offsets() + ")";
            if (isRefusedData(e)) {
                throw sql.translate(
                        e, "applying " + refusedChange(batch).orElse("a batch of " + tableNames(batch)) + batchOffsets);
            }
            throw sql.translate(e, "applying a batch of " + tableNames(batch) + batchOffsets);
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    @Override
    public void check(TopicNames.Table table, ChangeEvent event, SchemaVersion schema, RowChange.Origin origin) {
        // The target's name is only for the message: not worked out for every change.
        Supplier<String> target =
                () -> TargetTable.of(table, config.target(), sql.types().maxIdentifierBytes())
                        .name();
        Unrepresentable policy = config.load().unrepresentable();
        if (event.after() != null) {
            ValuePolicy.check(sql.cells(), target, schema, event.after(), false, policy, origin);
        }
        if (event.before() != null && event.after() == null) {
            ValuePolicy.check(sql.cells(), target, schema, event.before(), true, policy, origin);
        }
    }

    @Override
    public List<String> plan(Batch batch) {
        List<String> statements = new ArrayList<>();
        try {
            for (TableChanges table : batch.tables()) {
                TargetTable target = TargetTable.of(
                        table.table(), config.target(), sql.types().maxIdentifierBytes());
                Optional<SchemaVersion> current = appliedVersion(sourceName(table));
                statements.addAll(
                        current.isEmpty()
                                ? ddl.create(target, table.latest())
                                : ddl.evolve(target, current.get(), table.latest()));
            }
            c.rollback();
        } catch (SQLException e) {
            throw sql.translate(e, "planning the schema changes of " + tableNames(batch));
        }
        return statements;
    }

    private void applyTable(TableChanges table) throws SQLException {
        TargetTable target =
                TargetTable.of(table.table(), config.target(), sql.types().maxIdentifierBytes());
        followSchema(sourceName(table), target, table.latest());
        Set<String> columns = columnsOf(target);
        for (Map.Entry<SchemaVersion, List<RowChange>> group : byVersion(table).entrySet()) {
            SqlTarget.Staging stage = stage(target, group.getKey(), columns);
            stage.load(c, group.getValue());
            execute(statements(target, stage, table.keyColumns()));
        }
    }

    /** A constraint or a value the target table refuses (SQLSTATE classes 22 and 23): retrying cannot help. */
    private static boolean isRefusedData(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("22") || state.startsWith("23");
    }

    /**
     * Which change of a refused batch the target refuses, so the message can name its record and key: the batch
     * again, one change at a time under savepoints, in a transaction that is rolled back. Only on the way to
     * stopping; empty when no single change is refused (or the target has no savepoints: Redshift).
     */
    private Optional<String> refusedChange(Batch batch) {
        try {
            for (TableChanges table : batch.tables()) {
                TargetTable target = TargetTable.of(
                        table.table(), config.target(), sql.types().maxIdentifierBytes());
                followSchema(sourceName(table), target, table.latest());
                Set<String> columns = columnsOf(target);
                for (RowChange change : table.changes()) {
                    if (!appliesAlone(target, table, change, columns)) {
                        return Optional.of("the change of " + sourceName(table) + " with key " + keyOf(table, change)
                                + " at " + change.origin());
                    }
                }
            }
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            log.debug("Could not single out the refused change: {}", e.toString());
            return Optional.empty();
        } finally {
            rollback();
        }
    }

    private boolean appliesAlone(TargetTable target, TableChanges table, RowChange change, Set<String> columns)
            throws SQLException {
        SqlTarget.Staging stage = stage(target, change.schema(), columns);
        Savepoint before = c.setSavepoint();
        try {
            stage.load(c, List.of(change));
            execute(statements(target, stage, table.keyColumns()));
            c.releaseSavepoint(before);
            return true;
        } catch (SQLException refused) {
            c.rollback(before);
            return false;
        }
    }

    private static String keyOf(TableChanges table, RowChange change) {
        StringBuilder key = new StringBuilder("(");
        for (String column : table.keyColumns()) {
            key.append(key.length() > 1 ? ", " : "")
                    .append(column)
                    .append('=')
                    .append(change.row().get(column));
        }
        return key.append(')').toString();
    }

    /** Creates the target table, or takes it to the batch's newest schema version, inside the batch's transaction. */
    private void followSchema(String source, TargetTable target, SchemaVersion latest) throws SQLException {
        Optional<SchemaVersion> current = appliedVersion(source);
        if (current.isEmpty() || latest.version() > current.get().version()) {
            waitForOtherDdl();
            applied.remove(source);
            targetColumns.remove(target.name());
            current = appliedVersion(source); // what a loader that held the lock may have committed
        }
        if (current.isEmpty()) {
            log.info("Creating {} for {} (schema version {})", target.name(), source, latest.version());
            execute(ddl.create(target, latest));
        } else if (latest.version() > current.get().version()) {
            List<String> changes = ddl.evolve(target, current.get(), latest);
            warnIfRename(source, current.get(), latest);
            log.info("{} follows {} to schema version {}: {}", target.name(), source, latest.version(), changes);
            execute(changes);
        } else {
            return;
        }
        own.recordVersion(source, target, latest, current.isEmpty());
        applied.put(source, latest);
        targetColumns.remove(target.name());
    }

    /** Takes the target's DDL lock until the batch commits: two sessions creating one table would collide. */
    private void waitForOtherDdl() throws SQLException {
        sql.lockDdl(c);
    }

    /** A drop and an add in one version may be a rename: the rows not changed since will have NULL in it. */
    private static void warnIfRename(String source, SchemaVersion from, SchemaVersion to) {
        List<String> added = TableDdl.addedWhileDropping(from, to);
        if (!added.isEmpty()) {
            log.warn(
                    "{} schema version {} drops columns and adds {}: if that was a rename, the rows the source has "
                            + "not changed since keep NULL there in the target; copy the table again (sluice snapshot "
                            + "--table {}) to fill them",
                    source,
                    to.version(),
                    added,
                    source);
        }
    }

    private List<String> statements(TargetTable target, SqlTarget.Staging stage, List<String> key) {
        List<String> columns = stage.columnNames();
        List<String> out = new ArrayList<>();
        if (config.load().deletes() == DeleteMode.SOFT) {
            out.addAll(dialect.softDelete(target.qualified(), stage.name(), key));
            out.addAll(dialect.upsert(target.qualified(), stage.name(), columns, key, "TRUE", true));
        } else {
            out.addAll(dialect.hardDelete(target.qualified(), stage.name(), key, own.tombstones(), target.name()));
            String notDeleted = VersionGuard.notDeletedLater(key, own.tombstones(), target.name());
            out.addAll(dialect.upsert(target.qualified(), stage.name(), columns, key, notDeleted, false));
        }
        return out;
    }

    private SqlTarget.Staging stage(TargetTable target, SchemaVersion version, Set<String> targetColumns)
            throws SQLException {
        String id = target.name() + "#" + version.version() + "#" + targetColumns.hashCode();
        SqlTarget.Staging stage = stages.get(id);
        if (stage == null) {
            List<ColumnDefinition> columns = version.columns().stream()
                    .filter(col -> targetColumns.contains(col.name()))
                    .toList();
            ValuePolicy values = new ValuePolicy(sql.cells(), config.load().unrepresentable(), target.name(), nulled);
            stage = sql.staging("_sluice_stage_" + (++stagesCreated), columns, values);
            stage.create(c);
            stages.put(id, stage);
        }
        return stage;
    }

    private static Map<SchemaVersion, List<RowChange>> byVersion(TableChanges table) {
        Map<SchemaVersion, List<RowChange>> groups = new LinkedHashMap<>();
        for (RowChange change : table.changes()) {
            groups.computeIfAbsent(change.schema(), v -> new ArrayList<>()).add(change);
        }
        return groups;
    }

    private Optional<SchemaVersion> appliedVersion(String source) throws SQLException {
        SchemaVersion cached = applied.get(source);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<SchemaVersion> stored = own.appliedVersion(source);
        stored.ifPresent(v -> applied.put(source, v));
        return stored;
    }

    private Set<String> columnsOf(TargetTable target) throws SQLException {
        Set<String> cached = targetColumns.get(target.name());
        if (cached != null) {
            return cached;
        }
        Set<String> columns = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT column_name FROM information_schema.columns " + "WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, target.schema());
            ps.setString(2, target.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        targetColumns.put(target.name(), columns);
        return columns;
    }

    private void execute(List<String> statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** After a rollback the caches may describe DDL and staging tables that no longer exist. */
    private void rollback() {
        nulled.rolledBack();
        applied.clear();
        targetColumns.clear();
        stages.clear();
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("Rollback failed (the connection is gone): {}", e.toString());
        }
    }

    private static String sourceName(TableChanges table) {
        return table.table().database() + "." + table.table().table();
    }

    private static String tableNames(Batch batch) {
        return batch.tables().stream().map(SqlSession::sourceName).toList().toString();
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("Closing the target connection: {}", e.toString());
        }
    }
}
