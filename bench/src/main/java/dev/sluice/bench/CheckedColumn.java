package dev.sluice.bench;

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

        boolean matches(com.fasterxml.jackson.core.JsonToken token) {
            return switch (this) {
                case NUMBER -> token.isNumeric();
                case BOOLEAN -> token.isBoolean();
                case STRING -> token == com.fasterxml.jackson.core.JsonToken.VALUE_STRING;
            };
        }
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
