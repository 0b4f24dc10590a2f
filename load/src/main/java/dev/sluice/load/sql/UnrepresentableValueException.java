package dev.sluice.load.sql;

/** A value the target type of its column cannot hold exactly; {@code load.unrepresentable-values} decides. */
public final class UnrepresentableValueException extends RuntimeException {
    public UnrepresentableValueException(String what) {
        super(what);
    }
}
