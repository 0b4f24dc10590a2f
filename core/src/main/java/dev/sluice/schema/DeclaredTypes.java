package dev.sluice.schema;

import java.util.Map;

/**
 * The data types a table's columns were declared with, from the server's catalog. Needed only where the binlog
 * cannot tell types apart: MariaDB sends UUID and INET6 exactly like BINARY(16), and INET4 like BINARY(4) (same
 * type byte, length and binary charset; the binlog has no type names). Everything else comes from the binlog.
 */
@FunctionalInterface
public interface DeclaredTypes {
    /** For a table with no such columns, or a catalog that is not consulted. */
    DeclaredTypes NONE = (database, table) -> Map.of();

    /** Column name → lower-case data type ({@code information_schema.COLUMNS.DATA_TYPE}), e.g. {@code uuid}. */
    Map<String, String> of(String database, String table);
}
