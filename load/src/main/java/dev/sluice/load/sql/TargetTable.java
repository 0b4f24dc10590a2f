package dev.sluice.load.sql;

import dev.sluice.config.LoadConfig;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.TopicNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a source table loads: {@code target.schema} (or, when empty, the source database's name) and the source
 * table's name, each a quoted identifier. A target that cuts long identifiers (PostgreSQL: 63 bytes) would silently
 * merge two tables or columns, so a longer name is refused instead.
 */
public record TargetTable(String schema, String table) {
    /** PostgreSQL cuts identifiers longer than this. */
    public static final int POSTGRESQL_IDENTIFIER_BYTES = 63;
    /** No limit: the target keeps names of any length (DuckDB). */
    public static final int NO_LIMIT = Integer.MAX_VALUE;

    /** The target table of {@code source}; {@code maxBytes} is the longest name the target keeps whole. */
    public static TargetTable of(TopicNames.Table source, LoadConfig.Target target, int maxBytes) {
        String schema = target.schema().isEmpty() ? source.database() : target.schema();
        return new TargetTable(identifier(schema, "schema", maxBytes), identifier(source.table(), "table", maxBytes));
    }

    /** {@code "schema"."table"} */
    public String qualified() {
        return quote(schema) + "." + quote(table);
    }

    /** The name the loader's own tables record it under: {@code schema.table}, unquoted. */
    public String name() {
        return schema + "." + table;
    }

    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** {@code "a", "b"} */
    public static String quotedList(List<String> names) {
        return names.stream().map(TargetTable::quote).collect(Collectors.joining(", "));
    }

    /** {@code name} as an identifier, refused when the target would cut it (longer than {@code maxBytes}). */
    public static String identifier(String name, String what, int maxBytes) {
        if (name.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "The " + what + " name '" + name + "' is longer than the target's " + maxBytes
                            + " bytes: the target would cut it and could merge it with another. Rename it in the "
                            + "source, set target.schema, or leave the table out with filter.exclude.");
        }
        return name;
    }
}
