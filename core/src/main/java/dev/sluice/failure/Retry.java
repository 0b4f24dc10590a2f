package dev.sluice.failure;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an action that fails for a transient reason (a server still starting, a network blip) with
 * exponential backoff, then gives up with {@link ExitCode#UNREACHABLE} naming what could not be reached.
 * Failures that are not transient ({@link SluiceException}) are never retried.
 */
public final class Retry {
    private static final Logger log = LoggerFactory.getLogger(Retry.class);

    private final Duration total;
    private final Duration firstDelay;

    public Retry(Duration total, Duration firstDelay) {
        this.total = total;
        this.firstDelay = firstDelay;
    }

    public <T> T call(String what, Callable<T> action) {
        long started = System.nanoTime();
        long deadline = started + total.toNanos();
        long delayMs = firstDelay.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return action.call();
            } catch (Exception e) {
                if (!isTransient(e)) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
                if (System.nanoTime() + delayMs * 1_000_000 > deadline) {
                    throw new SluiceException(
                            ExitCode.UNREACHABLE,
                            "Could not reach " + what + " after " + attempts(attempt) + " in "
                                    + seconds(System.nanoTime() - started) + " (retrying for up to "
                                    + total.toSeconds() + " s): " + rootMessage(e)
                                    + ". Check that it is running and reachable from here.",
                            e);
                }
                log.warn("Cannot reach {} (attempt {}): {}; retrying in {} ms", what, attempt, rootMessage(e), delayMs);
                sleep(delayMs);
                delayMs = Math.min(delayMs * 2, 5_000);
            }
        }
    }

    /**
     * The one decision of what is worth retrying while connecting: network-level failures and timeouts. Anything
     * else (bad credentials, a missing grant, a bug) fails at once.
     */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SluiceException) {
                return false;
            }
            if (t instanceof java.io.IOException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof org.apache.kafka.common.errors.RetriableException
                    || t instanceof java.sql.SQLTransientException
                    || t instanceof java.sql.SQLException sql
                            && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private static String attempts(int n) {
        return n == 1 ? "1 attempt" : n + " attempts";
    }

    /** The time it really took, which one slow attempt can make longer than the retry window. */
    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ExitCode.INTERNAL, "Interrupted while waiting to retry", e);
        }
    }
}
