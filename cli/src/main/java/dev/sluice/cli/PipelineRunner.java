package dev.sluice.cli;

import dev.sluice.admin.AdminServer;
import dev.sluice.config.SluiceConfig;
import dev.sluice.monitor.CaptureAdmin;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.pipeline.Pipeline;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline on the calling thread, with its admin endpoint (/health, /metrics) beside it, until it fails, a
 * time limit passes, or the process is asked to stop (Ctrl-C, SIGTERM). Stopping runs in order: {@code beforeStop} (e.g. stop a workload), the pipeline stops at a
 * transaction boundary and commits what it has, then {@code afterStop} (e.g. stop local servers) — exactly once,
 * whichever way the run ends.
 */
public final class PipelineRunner {
    private static final Logger log = LoggerFactory.getLogger(PipelineRunner.class);

    private final Pipeline pipeline;
    private final SluiceConfig config;
    private final PipelineStats stats;
    private final LongSupplier clock = System::currentTimeMillis;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean afterStopDone = new AtomicBoolean();
    private Runnable beforeStop = () -> {};
    private Runnable afterStop = () -> {};
    private Runnable progress = () -> {};
    private long progressEveryMs = 10_000;

    public PipelineRunner(SluiceConfig config, PipelineStats stats) {
        this.config = config;
        this.stats = stats;
        this.pipeline = new Pipeline(config, stats, clock);
    }

    public PipelineRunner beforeStop(Runnable action) {
        this.beforeStop = action;
        return this;
    }

    public PipelineRunner afterStop(Runnable action) {
        this.afterStop = action;
        return this;
    }

    public PipelineRunner progress(Duration every, Runnable report) {
        this.progressEveryMs = every.toMillis();
        this.progress = report;
        return this;
    }

    /** Runs until stopped; {@code limit} of zero means no time limit. */
    public void run(Duration limit) throws InterruptedException {
        Thread hook = new Thread(this::stopOnSignal, "sluice-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-progress");
            t.setDaemon(true);
            return t;
        });
        AdminServer admin = null;
        try {
            admin = startAdmin();
            timers.scheduleAtFixedRate(progress, progressEveryMs, progressEveryMs, TimeUnit.MILLISECONDS);
            if (!limit.isZero()) {
                timers.schedule(this::stopNow, limit.toMillis(), TimeUnit.MILLISECONDS);
            }
            pipeline.run();
        } finally {
            timers.shutdownNow();
            if (admin != null) {
                admin.close();
            }
            finished.countDown();
            if (removeHook(hook)) {
                runAfterStopOnce();
            }
        }
    }

    /** Inside the run's try, so a taken port still runs {@code afterStop} (e.g. stops the demo's servers). */
    private AdminServer startAdmin() {
        if (!config.admin().enabled()) {
            log.info("Admin endpoint off (admin.port is -1)");
            return null;
        }
        return CaptureAdmin.start(config, stats, clock);
    }

    private void stopNow() {
        beforeStop.run();
        pipeline.stop();
    }

    private void stopOnSignal() {
        log.info("Stopping (signal received); committing at the next transaction boundary");
        stopNow();
        try {
            if (!finished.await(30, TimeUnit.SECONDS)) {
                log.warn("The pipeline did not stop within 30 s; exiting anyway (nothing uncommitted is lost: "
                        + "it is re-read on the next start)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runAfterStopOnce();
    }

    private void runAfterStopOnce() {
        if (afterStopDone.compareAndSet(false, true)) {
            afterStop.run();
        }
    }

    /** False when the JVM is already shutting down, i.e. the hook is running and will finish the stop. */
    private static boolean removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }
}
