package dev.sluice.load;

import dev.sluice.config.LoadConfig;
import dev.sluice.config.TableFilter;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.TopicNames;
import dev.sluice.schema.SchemaVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice load}: the change topics of one capture into one target, exactly once. {@link #run} is the whole
 * story: open the target (reachable, writable, the loader's own tables in place), read the table schemas the capture
 * published, start the workers, and wait until stopped or until a worker fails — then stop them all and report that
 * failure with its exit code.
 */
public final class Loader {
    private static final Logger log = LoggerFactory.getLogger(Loader.class);

    private final LoadConfig config;
    private final LoadStats stats;
    private final LongSupplier clock;
    private final List<LoadWorker> workers = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    public Loader(LoadConfig config, LoadStats stats, LongSupplier clock) {
        this.config = config;
        this.stats = stats;
        this.clock = clock;
    }

    /** Runs until {@link #stop} or a worker's failure, which it rethrows. */
    public void run() throws InterruptedException {
        stats.started(clock.getAsLong());
        try (Target target = openTarget()) {
            SchemaCatalog schemas = readSchemas();
            List<Thread> threads = startWorkers(target, schemas);
            stopped.await();
            stopWorkers(threads);
        }
        rethrowFailure();
    }

    /**
     * {@code sluice load --dry-run}: the DDL the loader would run in the target for every table of the schema topic
     * that the filter takes, and for its own tables; nothing is written.
     */
    public List<String> plan() {
        TargetDriver driver = driver();
        List<SchemaVersion> tables = readSchemas().newest(new TableFilter(config.filter()));
        return driver.plan(config, tables);
    }

    /** Asks the workers to apply what they hold and stop; {@link #run} returns once they have. */
    public void stop() {
        stopped.countDown();
    }

    private Target openTarget() {
        Target target = driver().open(config, stats);
        log.info("Loading into {}", target.describe());
        return target;
    }

    private TargetDriver driver() {
        return ServiceLoader.load(TargetDriver.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(d -> d.serves(config.target().type()))
                .findFirst()
                .orElseThrow(() -> new SluiceException(
                        ExitCode.CONFIG,
                        "target.type " + config.target().type().name().toLowerCase() + " is not in this "
                                + "installation: its target module is not on the class path (bin/sluice load adds "
                                + "every target module)."));
    }

    private SchemaCatalog readSchemas() {
        TopicNames names = new TopicNames(config.kafka().topicPrefix());
        SchemaCatalog schemas = new SchemaCatalog(config.kafka(), names);
        schemas.requireTopic();
        log.info("{} table schema version(s) in {}", schemas.refresh(), names.schemas());
        return schemas;
    }

    private List<Thread> startWorkers(Target target, SchemaCatalog schemas) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < config.load().workers(); i++) {
            LoadWorker worker = new LoadWorker(i, config, target, schemas, stats, clock);
            workers.add(worker);
            Thread thread = new Thread(() -> runWorker(worker), "sluice-load-" + i);
            threads.add(thread);
            thread.start();
        }
        log.info(
                "Loader '{}': {} worker(s) reading {}.* (group {})",
                config.load().name(),
                threads.size(),
                config.kafka().topicPrefix(),
                config.load().name());
        return threads;
    }

    /** A worker's failure stops the whole loader: the first one is what {@link #run} reports. */
    private void runWorker(LoadWorker worker) {
        try {
            worker.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            stop();
        }
    }

    private void stopWorkers(List<Thread> threads) throws InterruptedException {
        workers.forEach(LoadWorker::stop);
        for (Thread t : threads) {
            t.join();
        }
    }

    private void rethrowFailure() {
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
