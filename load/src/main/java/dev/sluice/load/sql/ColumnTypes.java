package dev.sluice.load.sql;

import dev.sluice.schema.ColumnDefinition;

/** A target's column types: what {@link TableDdl} creates each source column as, and which changes it can follow. */
public interface ColumnTypes {
    /** The target type of the column: the narrowest that holds every value of the source type exactly. */
    String typeOf(ColumnDefinition column);

    /** Whether every value of target type {@code was} is exactly a value of {@code is}: an ALTER can follow it. */
    boolean widens(String was, String is);

    /** The longest identifier the target keeps whole, in UTF-8 bytes. */
    int maxIdentifierBytes();
}
