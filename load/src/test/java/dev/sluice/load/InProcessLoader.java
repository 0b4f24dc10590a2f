package dev.sluice.load;

import dev.sluice.config.LoadConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** A loader running on a thread of the test JVM, started and stopped by the test. */
public final class InProcessLoader implements AutoCloseable {
    private final Loader loader;
    private final LoadStats stats = new LoadStats();
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private InProcessLoader(LoadConfig config) {
        this.loader = new Loader(config, stats, System::currentTimeMillis);
        this.thread = new Thread(
                () -> {
                    try {
                        loader.run();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "test-loader-" + config.load().name());
    }

    public static InProcessLoader start(LoadConfig config) {
        InProcessLoader l = new InProcessLoader(config);
        l.thread.start();
        return l;
    }

    public LoadStats stats() {
        return stats;
    }

    /** The failure that ended the loader, or null while it runs (or after it stopped cleanly). */
    public Throwable failure() {
        return failure.get();
    }

    /** Waits for the loader to end by itself (a failure), up to {@code timeout}; returns its failure. */
    public Throwable awaitFailure(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        return failure.get();
    }

    /** Applies what the workers hold and stops; rethrows a failure the loader ended with. */
    @Override
    public void close() throws InterruptedException {
        loader.stop();
        thread.join(60_000);
        if (thread.isAlive()) {
            throw new AssertionError("the loader did not stop within 60 s");
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the loader failed", t);
        }
    }
}
