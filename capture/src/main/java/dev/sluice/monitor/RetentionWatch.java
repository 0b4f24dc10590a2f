package dev.sluice.monitor;

import dev.sluice.config.SluiceConfig;
import dev.sluice.source.BinlogRetention;
import dev.sluice.source.ServerCheck;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the source's binlog retention and file list every {@code every} on a thread of its own, so a scrape of
 * {@code /metrics} never waits for the database and the pipeline thread never runs this SQL. Each read opens a
 * short JDBC connection (connect timeout 5 s, socket timeout 30 s, see {@link ServerCheck#connect()}); a failed read
 * keeps the previous answer, which goes stale rather than wrong: the file list only grows at the end and loses
 * files at the start.
 */
final class RetentionWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionWatch.class);

    private final ServerCheck source;
    private final String address;
    private final LongSupplier clock;
    private final ScheduledExecutorService thread;
    private volatile BinlogRetention latest;
    private boolean failing;
    private boolean sizeLimitLogged;

    RetentionWatch(SluiceConfig.Source source, LongSupplier clock, Duration every) {
        this.source = new ServerCheck(source);
        this.address = source.address();
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-retention-watch");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last successful read, or null before the first. */
    BinlogRetention latest() {
        return latest;
    }

    private void refresh() {
        try (Connection c = source.connect()) {
            BinlogRetention read = BinlogRetention.read(c, clock);
            latest = read;
            if (failing) {
                log.info("Reading the binlog retention of {} works again", address);
                failing = false;
            }
            logSizeLimitOnce(read);
        } catch (Exception e) {
            // Once per outage: the pipeline itself reports a source that is down.
            if (!failing) {
                log.warn(
                        "Cannot read the binlog retention of {} for /metrics ({}); keeping the last answer",
                        address,
                        e.getMessage());
                failing = true;
            }
        }
    }

    private void logSizeLimitOnce(BinlogRetention read) {
        if (read.totalSizeLimitBytes() > 0 && !sizeLimitLogged) {
            log.info(
                    "The source purges binlogs beyond max_binlog_total_size={} bytes too: the position may be "
                            + "purged earlier than sluice_binlog_seconds_until_purge says",
                    read.totalSizeLimitBytes());
            sizeLimitLogged = true;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
