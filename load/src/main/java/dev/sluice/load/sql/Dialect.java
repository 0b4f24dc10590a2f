package dev.sluice.load.sql;

import static dev.sluice.load.sql.VersionGuard.keyText;
import static dev.sluice.load.sql.VersionGuard.older;
import static dev.sluice.load.sql.VersionGuard.sameKey;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL that differs between PostgreSQL and Redshift-style warehouses, for the same staged rows. DuckDB takes
 * PostgreSQL's form: it has {@code INSERT ... ON CONFLICT ... DO UPDATE ... WHERE} and {@code DELETE ... USING}. PostgreSQL guards
 * each write in one statement ({@code INSERT ... ON CONFLICT ... DO UPDATE ... WHERE} the stored version is older);
 * Redshift has no {@code ON CONFLICT} and no row comparison, so it deletes the older rows of the staged keys and
 * inserts the staged rows whose key is then free — the same outcome in two statements of one transaction.
 *
 * <p>The version comparison itself is {@link dev.sluice.load.sql.VersionGuard}'s, shared with the other SQL targets.
 */
public enum Dialect {
    POSTGRESQL,
    REDSHIFT;

    /** How the dialect claims a batch's offsets: row locks, or a lock of the whole offsets table (Redshift). */
    public OwnTables.Claim claim() {
        return this == POSTGRESQL ? OwnTables.Claim.LOCK_ROWS : OwnTables.Claim.LOCK_TABLE;
    }

    /**
     * Writes the staged upserts into {@code target}: a staged row replaces a stored one only when it is newer, and
     * is not written at all when its key's deletion is newer ({@code notDeletedLater}, SQL on alias {@code s}).
     */
    public List<String> upsert(
            String target, String stage, List<String> columns, List<String> key, String notDeletedLater, boolean soft) {
        String cols = TargetTable.quotedList(columns) + ", _sluice_ordinal, _sluice_event"
                + (soft ? ", _sluice_deleted" : "");
        String values = columns.stream().map(c -> "s." + TargetTable.quote(c)).collect(Collectors.joining(", "))
                + ", s._sluice_ordinal, s._sluice_event" + (soft ? ", false" : "");
        String staged = "FROM " + stage + " s WHERE NOT s._sluice_delete AND " + notDeletedLater;
        if (this == POSTGRESQL) {
            String set = columns.stream()
                            .filter(c -> !key.contains(c))
                            .map(c -> TargetTable.quote(c) + " = EXCLUDED." + TargetTable.quote(c))
                            .map(s -> s + ", ")
                            .collect(Collectors.joining())
                    + "_sluice_ordinal = EXCLUDED._sluice_ordinal, _sluice_event = EXCLUDED._sluice_event"
                    + (soft ? ", _sluice_deleted = false" : "");
            return List.of("INSERT INTO " + target + " AS t (" + cols + ") SELECT " + values + " " + staged
                    + " ON CONFLICT (" + TargetTable.quotedList(key) + ") DO UPDATE SET " + set + " WHERE "
                    + older("t", "EXCLUDED"));
        }
        return List.of(
                "DELETE FROM " + target + " USING " + stage + " s WHERE NOT s._sluice_delete AND "
                        + sameKey(key, target, "s") + " AND " + older(target, "s"),
                "INSERT INTO " + target + " (" + cols + ") SELECT " + values + " " + staged + " AND NOT EXISTS "
                        + "(SELECT 1 FROM " + target + " t WHERE " + sameKey(key, "t", "s") + ")");
    }

    /** Soft deletes: the key's row stays, marked deleted at the delete's version (a key never seen gets one). */
    public List<String> softDelete(String target, String stage, List<String> key) {
        String keys = TargetTable.quotedList(key);
        String staged = key.stream().map(k -> "s." + TargetTable.quote(k)).collect(Collectors.joining(", "));
        if (this == POSTGRESQL) {
            return List.of("INSERT INTO " + target + " AS t (" + keys + ", _sluice_ordinal, _sluice_event, "
                    + "_sluice_deleted) SELECT " + staged + ", s._sluice_ordinal, s._sluice_event, true FROM " + stage
                    + " s WHERE s._sluice_delete ON CONFLICT (" + keys + ") DO UPDATE SET _sluice_deleted = true, "
                    + "_sluice_ordinal = EXCLUDED._sluice_ordinal, _sluice_event = EXCLUDED._sluice_event WHERE "
                    + older("t", "EXCLUDED"));
        }
        return List.of(
                "UPDATE " + target + " SET _sluice_deleted = true, _sluice_ordinal = s._sluice_ordinal, "
                        + "_sluice_event = s._sluice_event FROM " + stage + " s WHERE s._sluice_delete AND "
                        + sameKey(key, target, "s") + " AND " + older(target, "s"),
                "INSERT INTO " + target + " (" + keys + ", _sluice_ordinal, _sluice_event, _sluice_deleted) SELECT "
                        + staged + ", s._sluice_ordinal, s._sluice_event, true FROM " + stage + " s WHERE "
                        + "s._sluice_delete AND NOT EXISTS (SELECT 1 FROM " + target + " t WHERE "
                        + sameKey(key, "t", "s") + ")");
    }

    /**
     * Hard deletes: the key's row goes when the delete is newer, and the delete's version is kept in the loader's
     * tombstones, so an older change shown later (a replay, a re-read) cannot bring the row back.
     */
    public List<String> hardDelete(String target, String stage, List<String> key, String tombstones, String tableName) {
        String keyText = keyText(key, "s");
        String tomb = "d.target_table = '" + tableName.replace("'", "''") + "' AND d.row_key = " + keyText;
        List<String> first = List.of("DELETE FROM " + target + " USING " + stage + " s WHERE s._sluice_delete AND "
                + sameKey(key, target, "s") + " AND " + older(target, "s"));
        String insertNew = "INSERT INTO " + tombstones + (this == POSTGRESQL ? " AS d" : "")
                + " (target_table, row_key, _sluice_ordinal, _sluice_event) "
                + "SELECT '" + tableName.replace("'", "''") + "', " + keyText + ", s._sluice_ordinal, "
                + "s._sluice_event FROM " + stage + " s WHERE s._sluice_delete";
        if (this == POSTGRESQL) {
            return concat(
                    first,
                    insertNew + " ON CONFLICT (target_table, row_key) DO UPDATE SET _sluice_ordinal = "
                            + "EXCLUDED._sluice_ordinal, _sluice_event = EXCLUDED._sluice_event WHERE "
                            + older("d", "EXCLUDED"));
        }
        return concat(
                first,
                "DELETE FROM " + tombstones + " d USING " + stage + " s WHERE s._sluice_delete AND " + tomb + " AND "
                        + older("d", "s"),
                insertNew + " AND NOT EXISTS (SELECT 1 FROM " + tombstones + " d WHERE " + tomb + ")");
    }

    private static List<String> concat(List<String> head, String... more) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(more));
        return all;
    }
}
