package dev.sluice.schema;

/**
 * What a column holds, resolved from the TABLE_MAP type byte and, for the STRING type, the real type in its
 * metadata (ENUM and SET are sent as STRING).
 */
public enum ColumnKind {
    TINYINT(true),
    SMALLINT(true),
    MEDIUMINT(true),
    INT(true),
    BIGINT(true),
    DECIMAL(true),
    FLOAT(true),
    DOUBLE(true),
    BIT(false),
    YEAR(false),
    DATE(false),
    TIME(false),
    DATETIME(false),
    TIMESTAMP(false),
    CHAR(false),
    VARCHAR(false),
    BLOB(false),
    ENUM(false),
    SET(false),
    JSON(false),
    GEOMETRY(false),
    VECTOR(false),
    /**
     * MariaDB's fixed-binary types. The binlog sends them as BINARY(16) / BINARY(4) (trailing zero bytes stripped);
     * only the server's catalog tells them apart from a real BINARY column (see {@link DeclaredTypes}).
     */
    UUID(false),
    INET6(false),
    INET4(false);

    private final boolean numeric;

    ColumnKind(boolean numeric) {
        this.numeric = numeric;
    }

    /** Numeric columns carry a signedness bit in the metadata, in column order. */
    public boolean isNumeric() {
        return numeric;
    }

    /**
     * Columns that carry a collation in the metadata, in column order (ENUM/SET have their own list). The server
     * counts GEOMETRY among them (its storage is a BLOB; its collation is binary), so it is one here too: leaving it
     * out shifted the charset list and refused every table with a spatial column and a text column.
     */
    public boolean isCharacter() {
        return this == CHAR || this == VARCHAR || this == BLOB || this == GEOMETRY;
    }
}
