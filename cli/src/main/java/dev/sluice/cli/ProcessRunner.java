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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a process (a capture pipeline, a loader) on the calling thread, with its admin endpoint (/health, /metrics)
 * beside it, until it fails, a time limit passes, or the process is asked to stop (Ctrl-C, SIGTERM). Stopping runs
 * in order: {@code beforeStop} (e.g. stop a workload), the job stops at its next safe point and commits what it has
 * (a pipeline at a transaction boundary, a loader after applying its batch), then {@code afterStop} (e.g. stop
 * local servers) — exactly once, whichever way the run ends.
 */
public final class ProcessRunner {
    private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);

    private final Job job;
    private final Supplier<AdminServer> admin;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean afterStopDone = new AtomicBoolean();
    private Runnable beforeStop = () -> {};
    private Runnable afterStop = () -> {};
    private Runnable progress = () -> {};
    private long progressEveryMs = 10_000;

    /** The process a command runs: on the calling thread until it fails or {@link #stop} is called. */
    public interface Job {
        void run() throws InterruptedException;

        /** Asks {@link #run} to finish at its next safe point and return; returns at once. */
        void stop();
    }

    /** Runs {@code job} with the admin endpoint {@code admin} starts (null supplier: no endpoint). */
    public ProcessRunner(Job job, Supplier<AdminServer> admin) {
        this.job = job;
        this.admin = admin;
    }

    /** A capture pipeline with its admin endpoint (unless admin.port is -1). */
    public static ProcessRunner forPipeline(SluiceConfig config, PipelineStats stats) {
        LongSupplier clock = System::currentTimeMillis;
        Pipeline pipeline = new Pipeline(config, stats, clock);
        Supplier<AdminServer> admin = config.admin().enabled() ? () -> CaptureAdmin.start(config, stats, clock) : null;
        return new ProcessRunner(
                new Job() {
                    @Override
                    public void run() throws InterruptedException {
                        pipeline.run();
                    }

                    @Override
                    public void stop() {
                        pipeline.stop();
                    }
                },
                admin);
    }

    public ProcessRunner beforeStop(Runnable action) {
        this.beforeStop = action;
        return this;
    }

    public ProcessRunner afterStop(Runnable action) {
        this.afterStop = action;
        return this;
    }

    /** A progress report every {@code every}; zero turns it off. */
    public ProcessRunner progress(Duration every, Runnable report) {
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
        AdminServer endpoint = null;
        try {
            endpoint = startAdmin();
            if (progressEveryMs > 0) {
                timers.scheduleAtFixedRate(progress, progressEveryMs, progressEveryMs, TimeUnit.MILLISECONDS);
            }
            if (!limit.isZero()) {
                timers.schedule(this::stopNow, limit.toMillis(), TimeUnit.MILLISECONDS);
            }
            job.run();
        } finally {
            timers.shutdownNow();
            if (endpoint != null) {
                endpoint.close();
            }
            finished.countDown();
            if (removeHook(hook)) {
                runAfterStopOnce();
            }
        }
    }

    /** Inside the run's try, so a taken port still runs {@code afterStop} (e.g. stops the demo's servers). */
    private AdminServer startAdmin() {
        if (admin == null) {
            log.info("Admin endpoint off (its port is -1)");
            return null;
        }
        return admin.get();
    }

    private void stopNow() {
        beforeStop.run();
        job.stop();
    }

    private void stopOnSignal() {
        log.info("Stopping (signal received); committing what is in hand first");
        stopNow();
        try {
            if (!finished.await(30, TimeUnit.SECONDS)) {
                log.warn("It did not stop within 30 s; exiting anyway (nothing uncommitted is lost: "
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
