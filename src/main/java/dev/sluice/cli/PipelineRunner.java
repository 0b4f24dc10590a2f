package dev.sluice.cli;

import dev.sluice.config.SluiceConfig;
import dev.sluice.ops.PipelineStats;
import dev.sluice.ops.ProgressLine;
import dev.sluice.pipeline.Pipeline;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline on the calling thread until it fails or the process is asked to stop (Ctrl-C, SIGTERM): then it
 * asks the pipeline to stop at a transaction boundary and waits for it, so a clean stop commits what it has.
 */
final class PipelineRunner {
    private static final Logger log = LoggerFactory.getLogger(PipelineRunner.class);

    private PipelineRunner() {
    }

    static void runUntilStopped(SluiceConfig config, PipelineStats stats, long progressEveryMs,
                                Consumer<String> progressOut) throws InterruptedException {
        Pipeline pipeline = new Pipeline(config, stats, System::currentTimeMillis);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("Stopping (signal received); committing at the next transaction boundary");
            pipeline.stop();
            awaitQuietly(finished);
        }, "sluice-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-progress");
            t.setDaemon(true);
            return t;
        });
        ProgressLine line = new ProgressLine(stats, System.currentTimeMillis());
        progress.scheduleAtFixedRate(() -> progressOut.accept(line.next(System.currentTimeMillis())),
                progressEveryMs, progressEveryMs, TimeUnit.MILLISECONDS);
        try {
            pipeline.run();
        } finally {
            progress.shutdownNow();
            finished.countDown();
            removeHook(hook);
        }
    }

    private static void awaitQuietly(CountDownLatch finished) {
        try {
            if (!finished.await(30, TimeUnit.SECONDS)) {
                log.warn("The pipeline did not stop within 30 s; exiting anyway (nothing uncommitted is lost: "
                        + "it is re-read on the next start)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: the JVM is already exiting.
        }
    }
}
