package dev.sluice.failure;

/**
 * A failure a user can act on: the message names the cause (key, setting, table, position) and what to do,
 * and {@link #exitCode()} says which kind of failure it is. Everything else that escapes is a bug.
 */
public class SluiceException extends RuntimeException {
    private final ExitCode exitCode;

    public SluiceException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public SluiceException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
