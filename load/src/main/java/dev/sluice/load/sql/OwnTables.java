package dev.sluice.load.sql;

import dev.sluice.load.OffsetRange;
import dev.sluice.schema.SchemaVersion;
import dev.sluice.schema.TableSchemaJson;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * The loader's own tables in the target, in {@code target.schema} (or {@code public}), written in the same
 * transaction as the data they describe:
 *
 * <ul>
 *   <li>{@code _sluice_offsets} — per topic partition, the next offset to load: the truth the loader starts from;
 *       </li>
 *   <li>{@code _sluice_tables} — per source table, the target table and the schema version it has (the version's
 *       JSON, so the next change is compared with exactly what was applied);</li>
 *   <li>{@code _sluice_tombstones} — with hard deletes, per target table and key, the version of the key's last
 *       delete, so an older change of a deleted key cannot bring it back.</li>
 * </ul>
 *
 * <p>Used by one session's thread.
 */
public final class OwnTables {
    /** How a target keeps two loaders from moving one partition's offset at once. */
    public enum Claim {
        /** {@code SELECT ... FOR UPDATE} on the partitions' offset rows (PostgreSQL). */
        LOCK_ROWS,
        /** {@code LOCK} on the whole offsets table until the batch commits (Redshift: no row locks). */
        LOCK_TABLE,
        /**
         * No lock in the database (DuckDB): the target serializes its batches itself ({@link SqlTarget#beforeBatch}),
         * so each claim reads what the previous batch committed; and two transactions that still write one offset
         * row fail the later with a write-write conflict, which is retried from the stored offsets.
         */
        WRITE_CONFLICT
    }

    private final Connection c;
    private final Claim claim;
    private final String offsets;
    private final String tables;
    private final String tombstones;
    private final String schema;

    public OwnTables(Connection c, Claim claim, String schema) {
        this.c = c;
        this.claim = claim;
        this.schema = schema;
        this.offsets = TargetTable.quote(schema) + ".\"_sluice_offsets\"";
        this.tables = TargetTable.quote(schema) + ".\"_sluice_tables\"";
        this.tombstones = TargetTable.quote(schema) + ".\"_sluice_tombstones\"";
    }

    public String tombstones() {
        return tombstones;
    }

    /** Creates the tables that are missing (committed at once: they hold nothing yet). */
    public void create() throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : createStatements()) {
                st.execute(sql);
            }
        }
        c.commit();
    }

    /** What {@link #create} runs; the dry run prints it. */
    public List<String> createStatements() {
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + TargetTable.quote(schema),
                "CREATE TABLE IF NOT EXISTS " + offsets + " (topic varchar(255) NOT NULL, "
                        + "kafka_partition integer NOT NULL, next_offset bigint NOT NULL, loader varchar(255), "
                        + "updated_at timestamp with time zone, PRIMARY KEY (topic, kafka_partition))",
                "CREATE TABLE IF NOT EXISTS " + tables + " (source_table varchar(512) NOT NULL, "
                        + "target_table varchar(512) NOT NULL, schema_version bigint NOT NULL, schema_json text "
                        + "NOT NULL, updated_at timestamp with time zone, PRIMARY KEY (source_table))",
                "CREATE TABLE IF NOT EXISTS " + tombstones + " (target_table varchar(512) NOT NULL, "
                        + "row_key text NOT NULL, _sluice_ordinal bigint NOT NULL, _sluice_event bigint NOT NULL, "
                        + "PRIMARY KEY (target_table, row_key))");
    }

    /** Whether the loader's tables are there (a loader ran against this target before). */
    public boolean exist() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = '_sluice_tables'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> stored = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT next_offset FROM " + offsets + " WHERE topic = ? AND kafka_partition = ?")) {
            for (TopicPartition p : partitions) {
                ps.setString(1, p.topic());
                ps.setInt(2, p.partition());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        stored.put(p, rs.getLong(1));
                    }
                }
            }
        }
        c.commit();
        return stored;
    }

    /**
     * Locks the offset row of every partition of the batch (in one order, so two loaders never deadlock) and checks
     * each still stands at its range's start; a missing row is created at it. False: another loader moved one.
     */
    public boolean claim(Map<TopicPartition, OffsetRange> ranges, String loader) throws SQLException {
        List<TopicPartition> ordered = new ArrayList<>(ranges.keySet());
        ordered.sort((a, b) -> a.topic().equals(b.topic())
                ? Integer.compare(a.partition(), b.partition())
                : a.topic().compareTo(b.topic()));
        lockForClaim();
        for (TopicPartition p : ordered) {
            Optional<Long> stored = lockedOffset(p);
            if (stored.isEmpty()) {
                insertOffset(p, ranges.get(p).from(), loader);
                stored = lockedOffset(p);
            }
            if (stored.orElseThrow() != ranges.get(p).from()) {
                return false;
            }
        }
        return true;
    }

    /** Redshift has no row locks: the whole table is locked for the claim, until the batch commits. */
    private void lockForClaim() throws SQLException {
        if (claim == Claim.LOCK_TABLE) {
            try (Statement st = c.createStatement()) {
                st.execute("LOCK " + offsets);
            }
        }
    }

    private Optional<Long> lockedOffset(TopicPartition p) throws SQLException {
        String lock = claim == Claim.LOCK_ROWS ? " FOR UPDATE" : "";
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT next_offset FROM " + offsets + " WHERE topic = ? AND kafka_partition = ?" + lock)) {
            ps.setString(1, p.topic());
            ps.setInt(2, p.partition());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /**
     * A first row; with row locks a concurrent first row wins and this one waits for it, then adds nothing; with
     * write conflicts the later of two transactions that both add it fails at commit and is retried.
     */
    private void insertOffset(TopicPartition p, long offset, String loader) throws SQLException {
        String ifAbsent = claim != Claim.LOCK_TABLE ? " ON CONFLICT (topic, kafka_partition) DO NOTHING" : "";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + offsets
                + " (topic, kafka_partition, next_offset, loader, updated_at) VALUES (?, ?, ?, ?, now())" + ifAbsent)) {
            ps.setString(1, p.topic());
            ps.setInt(2, p.partition());
            ps.setLong(3, offset);
            ps.setString(4, loader);
            ps.executeUpdate();
        }
    }

    public void store(Map<TopicPartition, OffsetRange> ranges, String loader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + offsets
                + " SET next_offset = ?, loader = ?, updated_at = now() WHERE topic = ? AND kafka_partition = ?")) {
            for (Map.Entry<TopicPartition, OffsetRange> e : ranges.entrySet()) {
                ps.setLong(1, e.getValue().next());
                ps.setString(2, loader);
                ps.setString(3, e.getKey().topic());
                ps.setInt(4, e.getKey().partition());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The schema version the target table of {@code sourceTable} has; empty when the loader never created it. */
    public Optional<SchemaVersion> appliedVersion(String sourceTable) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT schema_json FROM " + tables + " WHERE source_table = ?")) {
            ps.setString(1, sourceTable);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(TableSchemaJson.read(rs.getString(1).getBytes(StandardCharsets.UTF_8)))
                        : Optional.empty();
            }
        }
    }

    public void recordVersion(String sourceTable, TargetTable target, SchemaVersion v, boolean first)
            throws SQLException {
        String sql = first
                ? "INSERT INTO " + tables + " (schema_version, schema_json, updated_at, target_table, source_table) "
                        + "VALUES (?, ?, now(), ?, ?)"
                : "UPDATE " + tables + " SET schema_version = ?, schema_json = ?, updated_at = now(), target_table = ? "
                        + "WHERE source_table = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, v.version());
            ps.setString(2, new String(TableSchemaJson.write(v), StandardCharsets.UTF_8));
            ps.setString(3, target.name());
            ps.setString(4, sourceTable);
            ps.executeUpdate();
        }
    }
}
