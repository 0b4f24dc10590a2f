package dev.sluice.load.postgresql;

import dev.sluice.config.LoadConfig;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.TopicNames;
import java.nio.charset.StandardCharsets;

/**
 * Where a source table loads: {@code target.schema} (or, when empty, the source database's name) and the source
 * table's name, each a quoted identifier. PostgreSQL cuts identifiers longer than 63 bytes, which would silently
 * merge two tables or columns, so a longer name is refused instead.
 */
record TargetTable(String schema, String table) {
    static final int MAX_IDENTIFIER_BYTES = 63;

    static TargetTable of(TopicNames.Table source, LoadConfig.Target target) {
        String schema = target.schema().isEmpty() ? source.database() : target.schema();
        return new TargetTable(identifier(schema, "schema"), identifier(source.table(), "table"));
    }

    /** {@code "schema"."table"} */
    String qualified() {
        return quote(schema) + "." + quote(table);
    }

    /** The name the loader's own tables record it under: {@code schema.table}, unquoted. */
    String name() {
        return schema + "." + table;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** {@code name} as a PostgreSQL identifier, refused when PostgreSQL would cut it. */
    static String identifier(String name, String what) {
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "The " + what + " name '" + name + "' is longer than PostgreSQL's " + MAX_IDENTIFIER_BYTES
                            + " bytes: PostgreSQL would cut it and could merge it with another. Rename it in the "
                            + "source, set target.schema, or leave the table out with filter.exclude.");
        }
        return name;
    }
}
