package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.SluiceConfig;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.Ports;
import dev.sluice.kafka.KafkaWriter;
import dev.sluice.kafka.TopicAdmin;
import dev.sluice.kafka.TopicNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scalability benchmark's story: one Kafka broker on loopback; for each concurrency level N, N Sluice writers
 * (each a {@link KafkaWriter} with its own transactional id, on its own thread, like N pipelines in one JVM) write
 * 100-byte records into one topic as fast as they can, committing at Sluice's default boundaries; after a warm-up,
 * the records committed in a fixed window give X(N). Levels run in rounds, every other round in reverse order, and
 * every measurement is a point of the Universal Scalability Law fit ({@link UslFit}), as R's usl package fits
 * repeated measurements: on a shared machine one window per level is too noisy to fit alone.
 *
 * <p>The knob is writers rather than source threads because the writer is the stage that can run N-wide today
 * (one pipeline reads one binlog on one thread), and because it is cheap: no database, seconds per level.
 */
public final class ScaleBench {
    private static final Logger log = LoggerFactory.getLogger(ScaleBench.class);
    private static final String PREFIX = "scale";
    private static final String TOPIC = "scale-writers";

    private final Options options;

    /** The knobs of one run. */
    public record Options(
            List<Integer> levels,
            int rounds,
            int warmupSeconds,
            int measureSeconds,
            int recordSize,
            int partitions,
            int brokerHeapMb,
            Path workDir,
            boolean keepData) {
        /** Odd rounds run the levels in the given order, even rounds in reverse: drift and warm-up hit both ends. */
        List<Integer> order(int round) {
            List<Integer> order = new ArrayList<>(levels);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            return order;
        }
    }

    /** One concurrency level: records committed per second over the window, and CPU spent in it. */
    public record Point(
            int round,
            int writers,
            long records,
            double seconds,
            double brokerCpuSeconds,
            double harnessCpuSeconds,
            double machineCpuSeconds) {
        public double recordsPerSec() {
            return records / seconds;
        }

        /** CPU the rest of the (shared) machine used in the window: all processes minus broker and harness. */
        public double othersCpuSeconds() {
            return machineCpuSeconds - brokerCpuSeconds - harnessCpuSeconds;
        }
    }

    public ScaleBench(Options options) {
        this.options = options;
    }

    public ScaleBenchResult run() throws Exception {
        String git = Manifest.gitDescription();
        ObjectNode manifest = Manifest.forKafkaBench(
                "1 KRaft node (broker+controller), -Xmx" + options.brokerHeapMb() + "m, SerialGC, loopback",
                List.of("(writers run in the harness JVM)"),
                workload(),
                git);
        List<Point> points = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(
                options.workDir().resolve("kafka"), Ports.free(), Ports.free(), options.brokerHeapMb())) {
            SluiceConfig.Kafka kafka =
                    WriterPerf.kafkaConfig(broker.bootstrapServers(), PREFIX, options.partitions(), 1);
            createTopics(kafka);
            for (int round = 1; round <= options.rounds(); round++) {
                for (int n : options.order(round)) {
                    Point p = measure(kafka, broker, round, n);
                    log.info(
                            "Round {}, N={} writers: {} records/s over {} s",
                            round,
                            n,
                            String.format("%,.0f", p.recordsPerSec()),
                            String.format("%.1f", p.seconds()));
                    points.add(p);
                }
            }
        } finally {
            if (!options.keepData()) {
                KafkaData.delete(options.workDir().resolve("kafka"));
            }
        }
        return new ScaleBenchResult(manifest, options, points, fit(points));
    }

    private static void createTopics(SluiceConfig.Kafka kafka) throws Exception {
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.loadExisting();
            admin.ensureInternalTopics(new TopicNames(PREFIX));
            admin.ensureTableTopic(TOPIC, "bench");
        }
    }

    private Point measure(SluiceConfig.Kafka kafka, KafkaBroker broker, int round, int n) throws Exception {
        List<KafkaWriter> writers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            writers.add(WriterPerf.open(kafka, "sluice-scale-" + round + "-" + n + "-" + i, TOPIC));
        }
        LongAdder committed = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(startWriterThread(writers.get(i), "scale-writer-" + i, committed, stop, failure));
        }
        try {
            TimeUnit.SECONDS.sleep(options.warmupSeconds());
            return window(broker, round, n, committed, failure);
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            writers.forEach(KafkaWriter::close);
        }
    }

    /** Counts the records whose commit returned inside the window. */
    private Point window(KafkaBroker broker, int round, int n, LongAdder committed, AtomicReference<Throwable> failure)
            throws InterruptedException {
        ProcessStats.Sample brokerBefore = ProcessStats.sample(broker.pid());
        ProcessStats.Sample harnessBefore =
                ProcessStats.sample(ProcessHandle.current().pid());
        double machineBefore = ProcessStats.machineBusySeconds();
        long before = committed.sum();
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(options.measureSeconds());
        long records = committed.sum() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("A writer failed at N=" + n + ": " + failure.get(), failure.get());
        }
        return new Point(
                round,
                n,
                records,
                seconds,
                ProcessStats.sample(broker.pid()).cpuSince(brokerBefore),
                ProcessStats.sample(ProcessHandle.current().pid()).cpuSince(harnessBefore),
                ProcessStats.machineBusySeconds() - machineBefore);
    }

    /** The thread owns its writer; it sends and commits until told to stop, and records the first failure. */
    private Thread startWriterThread(
            KafkaWriter writer,
            String name,
            LongAdder committed,
            AtomicBoolean stop,
            AtomicReference<Throwable> failure) {
        WriterPerf perf = new WriterPerf(writer, TOPIC, options.recordSize());
        Thread t = new Thread(
                () -> {
                    try {
                        while (!stop.get()) {
                            committed.add(perf.sendTransaction(WriterPerf.COMMIT_MAX_EVENTS));
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                },
                name);
        t.start();
        return t;
    }

    private static UslFit fit(List<Point> points) {
        double[] n = points.stream().mapToDouble(Point::writers).toArray();
        double[] x = points.stream().mapToDouble(Point::recordsPerSec).toArray();
        return UslFit.fit(n, x);
    }

    private ObjectNode workload() {
        ObjectNode w = new ObjectMapper().createObjectNode();
        w.put("knob", "concurrent Sluice KafkaWriter instances (threads, one transactional producer each)");
        w.set("levels", new ObjectMapper().valueToTree(options.levels()));
        w.put("rounds", options.rounds());
        w.put("order", "odd rounds in the given order, even rounds reversed; every measurement is a point of the fit");
        w.put("record_bytes", options.recordSize());
        w.put("partitions", options.partitions());
        w.put("warmup_seconds_per_level", options.warmupSeconds());
        w.put("measure_seconds_per_level", options.measureSeconds());
        w.put(
                "commit",
                "every " + WriterPerf.COMMIT_INTERVAL_MS + " ms or " + WriterPerf.COMMIT_MAX_EVENTS
                        + " records per writer, with a position record, as the pipeline does");
        return w;
    }
}
