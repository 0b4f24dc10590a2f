package dev.sluice.load.sql;

import dev.sluice.config.ConfigKeys.DeleteMode;
import dev.sluice.config.ConfigKeys.DroppedColumns;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.schema.ColumnDefinition;
import dev.sluice.schema.SchemaVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DDL that creates a target table from a schema version, and that follows the source from one version to the
 * next (docs/load.md, "Schema changes"). Every target table has the source's columns (only the primary key's are NOT
 * NULL, so a row written by an older version or a soft-deleted key fits), the source's primary key, and the loader's
 * version columns {@code _sluice_ordinal} and {@code _sluice_event} ({@code _sluice_deleted} with soft deletes).
 *
 * <p>From one version to the next: an added column is added; a dropped column is kept (nullable) or dropped
 * ({@code load.dropped-columns}); a column whose type widens (a larger integer, more VARCHAR length, more DECIMAL
 * digits on either side of the point, FLOAT to DOUBLE, more fractional seconds) is altered. Anything else — a
 * narrowing, an incompatible retype, a new primary key — is refused, naming the table, the column and the version,
 * because following it would change or lose values.
 */
public final class TableDdl {
    private final DeleteMode deletes;
    private final DroppedColumns dropped;
    private final ColumnTypes types;

    public TableDdl(DeleteMode deletes, DroppedColumns dropped, ColumnTypes types) {
        this.deletes = deletes;
        this.dropped = dropped;
        this.types = types;
    }

    public List<String> create(TargetTable table, SchemaVersion v) {
        List<String> columns = new ArrayList<>();
        for (ColumnDefinition c : v.columns()) {
            boolean key = v.primaryKey().contains(c.name());
            columns.add(TargetTable.quote(column(c)) + " " + types.typeOf(c) + (key ? " NOT NULL" : ""));
        }
        columns.add("\"_sluice_ordinal\" bigint NOT NULL");
        columns.add("\"_sluice_event\" bigint NOT NULL");
        if (deletes == DeleteMode.SOFT) {
            columns.add("\"_sluice_deleted\" boolean NOT NULL DEFAULT false");
        }
        columns.add("PRIMARY KEY (" + TargetTable.quotedList(v.primaryKey()) + ")");
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + TargetTable.quote(table.schema()),
                "CREATE TABLE " + table.qualified() + " (" + String.join(", ", columns) + ")");
    }

    /** The statements that take {@code table} from version {@code from} to version {@code to}; none when alike. */
    public List<String> evolve(TargetTable table, SchemaVersion from, SchemaVersion to) {
        if (!from.primaryKey().equals(to.primaryKey())) {
            throw refused(
                    to,
                    "its primary key changed from (" + String.join(", ", from.primaryKey()) + ") to ("
                            + String.join(", ", to.primaryKey()) + ")");
        }
        Map<String, ColumnDefinition> before = byName(from);
        Map<String, ColumnDefinition> after = byName(to);
        List<String> statements = new ArrayList<>();
        after.forEach((name, c) -> {
            ColumnDefinition old = before.get(name);
            if (old == null) {
                statements.add(alter(table, "ADD COLUMN " + TargetTable.quote(column(c)) + " " + types.typeOf(c)));
            } else {
                retype(table, to, old, c).ifPresent(statements::add);
            }
        });
        before.keySet().stream()
                .filter(name -> !after.containsKey(name) && dropped == DroppedColumns.DROP)
                .forEach(name -> statements.add(alter(table, "DROP COLUMN " + TargetTable.quote(name))));
        return statements;
    }

    /** Names of the columns a version adds while it drops others: maybe a rename, which no schema can tell. */
    public static List<String> addedWhileDropping(SchemaVersion from, SchemaVersion to) {
        Map<String, ColumnDefinition> before = byName(from);
        Map<String, ColumnDefinition> after = byName(to);
        boolean drops = before.keySet().stream().anyMatch(n -> !after.containsKey(n));
        return drops
                ? after.keySet().stream().filter(n -> !before.containsKey(n)).toList()
                : List.of();
    }

    private java.util.Optional<String> retype(
            TargetTable table, SchemaVersion to, ColumnDefinition old, ColumnDefinition now) {
        String was = types.typeOf(old);
        String is = types.typeOf(now);
        if (was.equals(is)) {
            return java.util.Optional.empty();
        }
        if (!types.widens(was, is)) {
            throw refused(
                    to,
                    "column '" + now.name() + "' changed from " + describe(old) + " (" + was + " here) to "
                            + describe(now) + " (" + is + "), which " + is + " cannot follow without changing values");
        }
        return java.util.Optional.of(alter(table, "ALTER COLUMN " + TargetTable.quote(now.name()) + " TYPE " + is));
    }

    private static SluiceException refused(SchemaVersion to, String what) {
        return new SluiceException(
                ExitCode.DATA,
                "Cannot follow " + to.qualifiedName() + " to its schema version " + to.version() + " (from "
                        + describe(to.from()) + "): " + what + ". The loader stopped before it; nothing of that "
                        + "version is loaded. Load the table anew (drop the target table, then copy it with "
                        + "sluice snapshot --table " + to.qualifiedName() + "), or leave it out with filter.exclude.");
    }

    private static String describe(SchemaVersion.AppliesFrom from) {
        return from.snapshot() ? "a copy read at " + from.file() + ":" + from.pos() : "GTID " + from.gtid();
    }

    private static String describe(ColumnDefinition c) {
        StringBuilder out = new StringBuilder(c.type());
        if (c.length() != null) {
            out.append('(').append(c.length()).append(')');
        }
        if (c.precision() != null) {
            out.append('(').append(c.precision()).append(',').append(c.scale()).append(')');
        }
        if (Boolean.TRUE.equals(c.unsigned())) {
            out.append(" unsigned");
        }
        return out.toString();
    }

    private static String alter(TargetTable table, String action) {
        return "ALTER TABLE " + table.qualified() + " " + action;
    }

    private String column(ColumnDefinition c) {
        return TargetTable.identifier(c.name(), "column", types.maxIdentifierBytes());
    }

    private static Map<String, ColumnDefinition> byName(SchemaVersion v) {
        Map<String, ColumnDefinition> map = new LinkedHashMap<>();
        v.columns().forEach(c -> map.put(c.name(), c));
        return map;
    }
}
