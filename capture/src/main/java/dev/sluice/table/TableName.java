package dev.sluice.table;

/** A table of the source, by the names the catalog spells it with. Immutable. */
public record TableName(String database, String table) {
    /** {@code database.table}, as log lines and messages name a table. */
    public String qualifiedName() {
        return database + "." + table;
    }
}
