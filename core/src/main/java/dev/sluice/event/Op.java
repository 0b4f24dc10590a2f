package dev.sluice.event;

import com.fasterxml.jackson.core.io.SerializedString;

/** The Debezium operation codes. */
public enum Op {
    CREATE("c"),
    UPDATE("u"),
    DELETE("d"),
    /** A row copied by a snapshot: its state at the chunk's read point, not a change. */
    READ("r");

    private final String code;
    private final SerializedString encoded;

    Op(String code) {
        this.code = code;
        this.encoded = new SerializedString(code);
    }

    SerializedString encoded() {
        return encoded;
    }

    public String code() {
        return code;
    }

    /** The op of an envelope's {@code op} field, or null for a code Debezium's envelope does not define. */
    public static Op ofCode(String code) {
        return switch (code) {
            case "c" -> CREATE;
            case "u" -> UPDATE;
            case "d" -> DELETE;
            case "r" -> READ;
            default -> null;
        };
    }
}
