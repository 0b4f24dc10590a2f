package dev.sluice.load;

/**
 * The target could not be reached or its connection broke (network, restart, failover): nothing of the batch is
 * committed, so the worker reconnects and loads again from the stored offsets, within the retry budget.
 */
public final class TargetUnavailableException extends RuntimeException {
    public TargetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
