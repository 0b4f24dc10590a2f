package dev.sluice.event;

/** The Debezium operation codes. */
public enum Op {
    CREATE("c"), UPDATE("u"), DELETE("d");

    private final String code;

    Op(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
