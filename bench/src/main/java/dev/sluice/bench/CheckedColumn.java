package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.event.RowImage;
import java.util.List;

/**
 * One column as the workload checks compare it: its name in the envelope's {@code before}/{@code after}, the SQL
 * expression whose text equals the JSON value Sluice writes for it (docs/types.md: a DECIMAL's or DATETIME(6)'s text
 * is the column itself; BIT(n) is its unsigned number; BIT(1) is {@code true}/{@code false}), its JSON kind, and
 * whether Debezium writes the same text (it writes DECIMAL as base64 bytes, DATETIME as epoch microseconds, BIT(n)
 * as base64 bytes and BIGINT UNSIGNED as a signed long, so those are left out of Debezium's checksum).
 */
public record CheckedColumn(String name, String sqlText, Kind kind, boolean sameInDebezium) {
    /** The JSON type of the value; a cell of another type is counted as a wrong type. */
    public enum Kind {
        NUMBER,
        STRING,
        BOOLEAN;

        boolean matches(JsonNode cell) {
            return switch (this) {
                case NUMBER -> cell.isNumber();
                case BOOLEAN -> cell.isBoolean();
                case STRING -> cell.isTextual();
            };
        }
    }

    /**
     * An image's checked cells as text, in the order of {@code columns}, and whether any cell has another JSON type
     * than its column's (which a checksum of the text alone would not see).
     */
    record Cells(String[] text, boolean wrongType) {}

    /**
     * The text of each checked column of {@code image}: a number's digits, a string's content, {@code true} or
     * {@code false}; null for NULL or a column the image does not have (a row written before its ALTER); extra
     * columns are ignored. A structured cell (object, array) is never a scalar column's text: it makes the checksum
     * differ and counts as a wrong type.
     */
    static Cells cells(RowImage image, List<CheckedColumn> columns) {
        String[] text = new String[columns.size()];
        boolean wrongType = false;
        for (int i = 0; i < text.length; i++) {
            JsonNode cell = image.get(columns.get(i).name());
            if (cell == null || cell.isNull()) {
                continue;
            }
            if (cell.isContainerNode()) {
                text[i] = "{structured}";
                wrongType = true;
            } else {
                text[i] = cell.asText();
                wrongType |= !columns.get(i).kind().matches(cell);
            }
        }
        return new Cells(text, wrongType);
    }

    /** An integer column: a JSON number whose text is the column's. */
    public static CheckedColumn integer(String name) {
        return new CheckedColumn(name, quoted(name), Kind.NUMBER, true);
    }

    /** A column written as a JSON string equal to the column's text (VARCHAR, TEXT, JSON, ENUM). */
    public static CheckedColumn text(String name) {
        return new CheckedColumn(name, quoted(name), Kind.STRING, true);
    }

    /** A JSON string equal to the column's text that Debezium writes differently (DECIMAL, DATETIME(6)). */
    public static CheckedColumn textSluiceOnly(String name) {
        return new CheckedColumn(name, quoted(name), Kind.STRING, false);
    }

    static String quoted(String name) {
        return "`" + name + "`";
    }
}
