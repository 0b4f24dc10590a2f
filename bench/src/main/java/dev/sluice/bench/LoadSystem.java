package dev.sluice.bench;

/** The loaders {@code sluice bench load} compares, each in its own JVM over the same backlog. */
enum LoadSystem {
    SLUICE("s", "Sluice (sluice load)"),
    ROWS("a", "row by row, autocommit"),
    BATCH("b", "multi-row INSERT ... ON CONFLICT"),
    COPY("c", "COPY of the final rows"),
    DEBEZIUM("d", "Debezium JDBC sink");

    private final String code;
    private final String description;

    LoadSystem(String code, String description) {
        this.code = code;
        this.description = description;
    }

    String code() {
        return code;
    }

    String description() {
        return description;
    }

    /** {@code (s) Sluice (sluice load)}. */
    String label() {
        return "(" + code + ") " + description;
    }

    /** The hand-written loaders run {@link BaselineLoad} in this mode. */
    String baselineMode() {
        return switch (this) {
            case ROWS -> "rows";
            case BATCH -> "batch";
            case COPY -> "copy";
            default -> throw new IllegalStateException(this + " is not a hand-written loader");
        };
    }

    boolean isBaseline() {
        return this == ROWS || this == BATCH || this == COPY;
    }
}
