package dev.sluice.load.sql;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of the source-version guard every SQL target writes with (docs/load.md): a row, or a key's tombstone,
 * holds the version ({@code _sluice_ordinal}, {@code _sluice_event}) of the change that wrote it, and a change is
 * applied only when its version is newer. Versions compare as (ordinal, event) pairs, written out as
 * {@code a.o < b.o OR (a.o = b.o AND a.e < b.e)} so that targets without row-value comparison take it too.
 */
public final class VersionGuard {
    private VersionGuard() {}

    /** {@code older} holds a version older than {@code newer}'s (aliases of tables with the two version columns). */
    public static String older(String older, String newer) {
        return "(" + older + "._sluice_ordinal < " + newer + "._sluice_ordinal OR (" + older + "._sluice_ordinal = "
                + newer + "._sluice_ordinal AND " + older + "._sluice_event < " + newer + "._sluice_event))";
    }

    /** Rows of {@code a} matching {@code b}'s key columns. */
    public static String sameKey(List<String> key, String a, String b) {
        return key.stream()
                .map(TargetTable::quote)
                .map(k -> a + "." + k + " = " + b + "." + k)
                .collect(Collectors.joining(" AND "));
    }

    /** SQL (on alias {@code s}) true when no tombstone of the staged row's key is as new as the row. */
    public static String notDeletedLater(List<String> key, String tombstones, String tableName) {
        return "NOT EXISTS (SELECT 1 FROM " + tombstones + " d WHERE d.target_table = " + literal(tableName)
                + " AND d.row_key = " + keyText(key, "s") + " AND NOT " + older("d", "s") + ")";
    }

    /**
     * A key as one text, the same for the same key values whichever statement computes it, and different for
     * different keys: each value's text length, a colon, the text ({@code 1:a3:b|c}), so no separator can be forged.
     */
    public static String keyText(List<String> key, String alias) {
        return key.stream()
                .map(k -> "CAST(" + alias + "." + TargetTable.quote(k) + " AS text)")
                .map(v -> "CAST(LENGTH(" + v + ") AS text) || ':' || " + v)
                .collect(Collectors.joining(" || "));
    }

    /** {@code 'text'} as an SQL string literal. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
