package dev.sluice.load.sql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.schema.ColumnDefinition;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * A target's text of one cell as the change event carries it (docs/types.md), for its staging table; and the checks
 * of source values every target shares: a zero or invalid date (MariaDB's {@code 0000-00-00}, {@code 2023-02-30})
 * and the zero TIMESTAMP are no calendar day and no instant in any target.
 */
public interface CellText {
    /** The cell as the target reads it into the column's type; null for SQL NULL. */
    String value(ColumnDefinition column, JsonNode cell);

    /** Whether some value of the column's type is one the target cannot hold: the per-change check skips the rest. */
    boolean mayBeUnrepresentable(ColumnDefinition column);

    /** {@code yyyy-mm-dd} of a real day in year 1 or later, else unrepresentable ({@code whole} names the value). */
    static String calendarDay(String date, String whole) {
        try {
            int year = Integer.parseInt(date.substring(0, 4));
            LocalDate.of(year, Integer.parseInt(date.substring(5, 7)), Integer.parseInt(date.substring(8, 10)));
            if (year == 0) {
                throw new DateTimeException("year 0");
            }
            return date;
        } catch (DateTimeException | NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new UnrepresentableValueException("the date " + whole + ", which is not a calendar day");
        }
    }

    /** A DATETIME's text, whose day must be a calendar day. */
    static String dateTime(String value) {
        calendarDay(value.substring(0, Math.min(10, value.length())), value);
        return value;
    }

    /** An instant in UTC ({@code 2024-03-10T07:00:00.000000Z}); the zero value has no instant. */
    static String timestamp(String value) {
        if (value.startsWith("0000-00-00")) {
            throw new UnrepresentableValueException("the zero TIMESTAMP " + value);
        }
        return value;
    }
}
