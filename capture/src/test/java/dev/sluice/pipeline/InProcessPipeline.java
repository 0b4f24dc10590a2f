package dev.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.config.SluiceConfig;
import dev.sluice.monitor.PipelineStats;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** A pipeline running on a thread of the test JVM, started and stopped by the test. */
public final class InProcessPipeline implements AutoCloseable {
    private final Pipeline pipeline;
    private final PipelineStats stats;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private InProcessPipeline(SluiceConfig config, PipelineStats stats) {
        this.stats = stats;
        this.pipeline = new Pipeline(config, stats, System::currentTimeMillis);
        this.thread = new Thread(
                () -> {
                    try {
                        pipeline.run();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "test-pipeline-" + config.pipeline().name());
    }

    /** Starts the pipeline and returns once it is reading the binlog, so later writes are captured. */
    public static InProcessPipeline start(SluiceConfig config) {
        return start(config, new PipelineStats());
    }

    /** As {@link #start(SluiceConfig)}, publishing into {@code stats} (e.g. one an admin endpoint already serves). */
    public static InProcessPipeline start(SluiceConfig config, PipelineStats stats) {
        InProcessPipeline p = new InProcessPipeline(config, stats);
        p.thread.start();
        p.awaitStreaming(Duration.ofSeconds(60));
        return p;
    }

    public PipelineStats stats() {
        return stats;
    }

    private void awaitStreaming(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!stats.isStreaming()) {
            if (failure.get() != null) {
                throw new AssertionError("The pipeline failed while starting", failure.get());
            }
            if (System.nanoTime() > deadline) {
                fail("The pipeline did not start streaming within " + timeout.toSeconds() + " s");
            }
            Thread.onSpinWait();
            sleepBriefly();
        }
    }

    /** What the pipeline failed with so far, or {@code null} while it runs (or stopped cleanly). */
    public Throwable failureSoFar() {
        return failure.get();
    }

    /** Waits for the pipeline to stop by itself (it failed) and returns the failure. */
    public Throwable awaitFailure(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            fail("The pipeline was expected to stop with an error within " + timeout.toSeconds() + " s");
        }
        return failure.get();
    }

    /** Stops cleanly and rethrows anything the pipeline failed with. */
    @Override
    public void close() throws InterruptedException {
        pipeline.stop();
        thread.join(60_000);
        if (thread.isAlive()) {
            fail("The pipeline did not stop within 60 s");
        }
        if (failure.get() != null) {
            throw new AssertionError("The pipeline failed", failure.get());
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
