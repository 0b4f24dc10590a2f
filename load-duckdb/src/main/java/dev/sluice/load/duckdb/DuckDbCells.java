package dev.sluice.load.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.load.sql.CellText;
import dev.sluice.schema.ColumnDefinition;
import java.util.Locale;

/**
 * One cell, as the change event carries it (docs/types.md), as the text DuckDB casts into the column's
 * {@link DuckDbTypes DuckDB type} exactly: numbers and DECIMAL digits as written, BIT(1) as {@code true}/{@code
 * false} and BIT(n) as its unsigned value, DATETIME and TIME as the source's literal, TIMESTAMP as its ISO instant,
 * binary as the event's base64 (the staging decodes it into a BLOB). DuckDB's text holds U+0000, so only zero and
 * invalid dates and the zero TIMESTAMP cannot be loaded.
 */
final class DuckDbCells implements CellText {
    static final DuckDbCells INSTANCE = new DuckDbCells();

    private DuckDbCells() {}

    @Override
    public String value(ColumnDefinition column, JsonNode cell) {
        if (cell == null || cell.isNull()) {
            return null;
        }
        if (column.isSpatial()) {
            return cell.toString();
        }
        return switch (column.type().toLowerCase(Locale.ROOT)) {
            case "bit" -> cell.isBoolean() ? String.valueOf(cell.booleanValue()) : cell.asText();
            case "date" -> CellText.calendarDay(cell.asText(), cell.asText());
            case "datetime" -> CellText.dateTime(cell.asText());
            case "timestamp" -> CellText.timestamp(cell.asText());
            default -> cell.isTextual() ? cell.textValue() : cell.asText();
        };
    }

    @Override
    public boolean mayBeUnrepresentable(ColumnDefinition column) {
        if (column.isSpatial()) {
            return false;
        }
        return switch (column.type().toLowerCase(Locale.ROOT)) {
            case "date", "datetime", "timestamp" -> true;
            default -> false;
        };
    }

    /** Whether the column stages as bytes (a BLOB) rather than text. */
    static boolean isBinary(String duckDbType) {
        return duckDbType.equals("blob");
    }
}
