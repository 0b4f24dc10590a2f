package dev.sluice.snapshot;

import dev.sluice.config.SluiceConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a copy from hurting the source or the live stream: a maximum rate in rows per second, and a pause while the
 * stream is behind or the source (when it is a replica) lags its primary. Shared by the reader threads of a copy.
 */
final class Throttle {
    private static final Logger log = LoggerFactory.getLogger(Throttle.class);
    private static final long CHECK_INTERVAL_MS = 1_000;
    private static final long REPLICA_CHECK_INTERVAL_MS = 5_000;

    private final SluiceConfig.Snapshot config;
    private final LongSupplier streamLagSeconds;
    private final LongSupplier clock;
    private long nextPermitMs;
    private long replicaCheckedMs;
    private long replicaLagSeconds;
    private boolean replicaCheckUnavailable;
    private long lastPauseLogMs;

    Throttle(SluiceConfig.Snapshot config, LongSupplier streamLagSeconds, LongSupplier clock) {
        this.config = config;
        this.streamLagSeconds = streamLagSeconds;
        this.clock = clock;
    }

    /** Blocks until {@code rows} more rows may be read; {@code connection} is used for the replica lag check. */
    void await(int rows, Connection connection) throws InterruptedException {
        java.util.Optional<String> pause;
        while ((pause = pauseReason(replicaLag(connection))).isPresent()) {
            logPause(pause.get());
            Thread.sleep(CHECK_INTERVAL_MS);
        }
        long waitMs = reserve(rows);
        if (waitMs > 0) {
            Thread.sleep(waitMs);
        }
    }

    /**
     * Takes {@code rows} from the rate budget and returns how long to wait before reading them: each reservation
     * starts where the previous one ended, so readers together stay under snapshot.max-rows-per-second.
     */
    synchronized long reserve(int rows) {
        if (config.maxRowsPerSecond() <= 0) {
            return 0;
        }
        long now = clock.getAsLong();
        long start = Math.max(now, nextPermitMs);
        nextPermitMs = start + rows * 1000L / config.maxRowsPerSecond();
        return start - now;
    }

    /** Why copying must pause now (the stream lags, or the source replica lags), or empty. */
    java.util.Optional<String> pauseReason(long replicaLag) {
        long lag = streamLagSeconds.getAsLong();
        if (!config.maxLag().isZero() && lag > config.maxLag().toSeconds()) {
            return java.util.Optional.of("the stream is " + lag + " s behind the source (snapshot.max-lag-seconds "
                    + config.maxLag().toSeconds() + ")");
        }
        if (!config.maxReplicaLag().isZero()
                && replicaLag > config.maxReplicaLag().toSeconds()) {
            return java.util.Optional.of("the source replica is " + replicaLag + " s behind its primary "
                    + "(snapshot.max-replica-lag-seconds "
                    + config.maxReplicaLag().toSeconds() + ")");
        }
        return java.util.Optional.empty();
    }

    private synchronized void logPause(String why) {
        long now = clock.getAsLong();
        if (now - lastPauseLogMs >= 30_000) {
            lastPauseLogMs = now;
            log.info("Snapshot paused: {}", why);
        }
    }

    /** Seconds_Behind_Master of the source if it is a replica (0 if it is not, or the check is unavailable). */
    private synchronized long replicaLag(Connection connection) {
        if (config.maxReplicaLag().isZero() || replicaCheckUnavailable) {
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
                    "Cannot read the source's replication lag ({}); snapshot.max-replica-lag-seconds is not applied. "
                            + "Grant SLAVE MONITOR (or REPLICATION CLIENT) to source.user to enable it.",
                    e.getMessage());
        }
        replicaLagSeconds = worst;
        return worst;
    }
}
