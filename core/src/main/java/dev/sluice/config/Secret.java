package dev.sluice.config;

/** A value that must never be printed: {@link #toString()} is redacted; only {@link #reveal()} gives the text. */
public record Secret(String value) {
    public static final String REDACTED = "******";

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
