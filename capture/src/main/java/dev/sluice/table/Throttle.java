package dev.sluice.table;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a job that reads a table (a snapshot, an archive) from hurting the source or the live stream: a maximum
 * rate in rows per second, and a pause while the stream is behind or the source (when it is a replica) lags its
 * primary. Each job passes its own {@link Limits}.
 *
 * <p>Thread-safe: the reader threads of one job share one throttle, and together stay under the rate. The replica
 * lag is asked at most every 5 s, on the connection of the reader that waits.
 */
public final class Throttle {
    private static final Logger log = LoggerFactory.getLogger(Throttle.class);
    private static final long CHECK_INTERVAL_MS = 1_000;
    private static final long REPLICA_CHECK_INTERVAL_MS = 5_000;

    private final Limits limits;
    private final LongSupplier streamLagSeconds;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long nextPermitMs;
    private long replicaCheckedMs;
    private long replicaLagSeconds;
    private boolean replicaCheckUnavailable;
    private long lastPauseLogMs;

    /**
     * What a job allows itself; 0 turns a bound off. {@code settings} is the configuration section the limits come
     * from ({@code snapshot}): pause reasons and log lines name its keys ({@code snapshot.max-lag-seconds}), so the
     * user knows which setting to change.
     *
     * @param maxRowsPerSecond rows read per second, by all readers of the job together
     * @param maxStreamLag     pause while the live stream is further behind the source than this
     * @param maxReplicaLag    pause while the source, if it is a replica, is further behind its primary than this
     */
    public record Limits(String settings, int maxRowsPerSecond, Duration maxStreamLag, Duration maxReplicaLag) {
        public Limits {
            Objects.requireNonNull(settings);
            Objects.requireNonNull(maxStreamLag);
            Objects.requireNonNull(maxReplicaLag);
        }

        /** The full name of one of the section's keys. */
        String key(String name) {
            return settings + "." + name;
        }
    }

    /** How a throttle waits: {@link Thread#sleep}, or a test's fake that moves its clock on. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    /** A throttle that sleeps; {@code streamLagSeconds} is how far the live stream is behind, {@code clock} in ms. */
    public Throttle(Limits limits, LongSupplier streamLagSeconds, LongSupplier clock) {
        this(limits, streamLagSeconds, clock, Thread::sleep);
    }

    /** A throttle that waits with {@code sleeper}. */
    public Throttle(Limits limits, LongSupplier streamLagSeconds, LongSupplier clock, Sleeper sleeper) {
        this.limits = limits;
        this.streamLagSeconds = streamLagSeconds;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Blocks until {@code rows} more rows may be read; {@code connection} is used for the replica lag check. */
    public void await(int rows, Connection connection) throws InterruptedException {
        java.util.Optional<String> pause;
        while ((pause = pauseReason(replicaLag(connection))).isPresent()) {
            logPause(pause.get());
            sleeper.sleep(CHECK_INTERVAL_MS);
        }
        long waitMs = reserve(rows);
        if (waitMs > 0) {
            sleeper.sleep(waitMs);
        }
    }

    /**
     * Takes {@code rows} from the rate budget and returns how long to wait before reading them: each reservation
     * starts where the previous one ended, so readers together stay under the rate.
     */
    synchronized long reserve(int rows) {
        if (limits.maxRowsPerSecond() <= 0) {
            return 0;
        }
        long now = clock.getAsLong();
        long start = Math.max(now, nextPermitMs);
        nextPermitMs = start + rows * 1000L / limits.maxRowsPerSecond();
        return start - now;
    }

    /** Why copying must pause now (the stream lags, or the source replica lags), or empty. */
    java.util.Optional<String> pauseReason(long replicaLag) {
        long lag = streamLagSeconds.getAsLong();
        if (!limits.maxStreamLag().isZero() && lag > limits.maxStreamLag().toSeconds()) {
            return java.util.Optional.of(
                    "the stream is " + lag + " s behind the source (" + limits.key("max-lag-seconds") + " "
                            + limits.maxStreamLag().toSeconds() + ")");
        }
        if (!limits.maxReplicaLag().isZero()
                && replicaLag > limits.maxReplicaLag().toSeconds()) {
            return java.util.Optional.of("the source replica is " + replicaLag + " s behind its primary "
                    + "(" + limits.key("max-replica-lag-seconds") + " "
                    + limits.maxReplicaLag().toSeconds() + ")");
        }
        return java.util.Optional.empty();
    }

    private synchronized void logPause(String why) {
        long now = clock.getAsLong();
        if (now - lastPauseLogMs >= 30_000) {
            lastPauseLogMs = now;
            log.info("{} paused: {}", capitalized(limits.settings()), why);
        }
    }

    /** Seconds_Behind_Master of the source if it is a replica (0 if it is not, or the check is unavailable). */
    private synchronized long replicaLag(Connection connection) {
        if (limits.maxReplicaLag().isZero() || replicaCheckUnavailable) {
            return 0;
        }
        long now = clock.getAsLong();
        if (now - replicaCheckedMs < REPLICA_CHECK_INTERVAL_MS) {
            return replicaLagSeconds;
        }
        replicaCheckedMs = now;
        long worst = 0;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SHOW ALL SLAVES STATUS")) {
            while (rs.next()) {
                long seconds = rs.getLong("Seconds_Behind_Master");
                worst = Math.max(worst, rs.wasNull() ? 0 : seconds);
            }
        } catch (SQLException e) {
            replicaCheckUnavailable = true;
            log.warn(
                    "Cannot read the source's replication lag ({}); {} is not applied. "
                            + "Grant SLAVE MONITOR (or REPLICATION CLIENT) to source.user to enable it.",
                    e.getMessage(),
                    limits.key("max-replica-lag-seconds"));
        }
        replicaLagSeconds = worst;
        return worst;
    }

    private static String capitalized(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
