package dev.sluice.bench;

import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbBinaries;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import dev.sluice.sink.TopicNames;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline benchmark's story: start a fresh MariaDB and Kafka broker, write the backlog with no pipeline
 * running, start {@code sluice run} in its own JVM from the start of the binlog, wait until a read_committed
 * consumer sees the backlog's last GTID committed, read the processes' CPU and memory, stop the pipeline, and check
 * that the table topic holds exactly the source's rows.
 */
public final class PipelineBench {
    private static final Logger log = LoggerFactory.getLogger(PipelineBench.class);
    private static final TopicNames TOPICS = new TopicNames(BenchConfig.TOPIC_PREFIX);

    private final Options options;
    private final Latency latency;

    /**
     * The open-loop latency run after the drain: rows per second, where {@link #HALF_OF_CAPACITY} stands for half of
     * the drain's steady rate; no rates = no latency run.
     */
    public record Latency(List<Double> rates, double warmupSeconds, double measureSeconds,
                          int maxTransactionsPerSecond, int writerConnections, Map<String, String> pipelineSettings) {
        public static final double HALF_OF_CAPACITY = -1;
    }

    /** The knobs of one run. */
    public record Options(long events, double singleRowShare, Path workDir, String heap,
                          List<String> pipelineJvmOptions) {
        /** {@code heap} as -Xmx reads it: a number with an optional k, m or g suffix. */
        public long heapBytes() {
            String h = heap.trim().toLowerCase(Locale.ROOT);
            int shift = switch (h.charAt(h.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 0;
            };
            return Long.parseLong(shift == 0 ? h : h.substring(0, h.length() - 1)) << shift;
        }
    }

    public PipelineBench(Options options, Latency latency) {
        this.options = options;
        this.latency = latency;
    }

    public BenchResult run() throws Exception {
        String git = Manifest.gitDescription();
        log.info("Starting MariaDB and a Kafka broker in {}", options.workDir().toAbsolutePath());
        MariaDbServer mariadb = MariaDbServer.start(MariaDbBinaries.embedded(MariaDbBinaries.defaultCacheRoot()),
                options.workDir().resolve("mariadb"), Ports.free(), MariaDbServer.Options.defaults());
        try {
            KafkaBroker kafka = KafkaBroker.start(options.workDir().resolve("kafka"), Ports.free(), Ports.free(), 512);
            try {
                return measure(mariadb, kafka, git);
            } finally {
                kafka.stop();
            }
        } finally {
            mariadb.stop();
        }
    }

    private BenchResult measure(MariaDbServer mariadb, KafkaBroker kafka, String git) throws Exception {
        try (Connection c = mariadb.connect()) {
            Backlog.createSchema(c);
        }
        log.info("Writing the backlog: {} row changes, {} of them from 1-row transactions", options.events(),
                Math.round(options.events() * options.singleRowShare()));
        Backlog.Result backlog = new Backlog(options.events(), options.singleRowShare()).write(mariadb);
        RowChecksum source = sourceChecksum(mariadb);
        Path config = BenchConfig.write(options.workDir().resolve("pipeline/sluice.yaml"), mariadb, kafka);
        DrainMeasurement drain = drain(config, kafka, mariadb, backlog);
        log.info("Reading {} back with a read_committed consumer to check it", tableTopic());
        DrainVerifier.Seen seen = DrainVerifier.read(kafka.bootstrapServers(), tableTopic(), backlog.events());
        BenchResult drained = new BenchResult(Manifest.collect(mariadb, options, config, drain.jvmFlags(), git),
                options, backlog, drain, source, seen, null);
        if (latency.rates().isEmpty()) {
            return drained;
        }
        return drained.withLatency(latencyRun(mariadb, kafka, drained.steadyEventsPerSecond()));
    }

    /** The open-loop latency run, on the same servers once the drain is checked, with its own pipeline. */
    private LatencyResult latencyRun(MariaDbServer mariadb, KafkaBroker kafka, double capacity) throws Exception {
        List<LatencyRun.Rate> rates = latency.rates().stream().map(r -> r == Latency.HALF_OF_CAPACITY
                ? new LatencyRun.Rate(String.format(Locale.ROOT, "half of capacity: %,.0f/s", capacity / 2),
                        capacity / 2, true)
                : new LatencyRun.Rate(String.format(Locale.ROOT, "%,.0f/s", r), r, false)).toList();
        LatencyRun.Options o = new LatencyRun.Options(latency.warmupSeconds(), latency.measureSeconds(),
                latency.maxTransactionsPerSecond(), latency.writerConnections(), options.heap(),
                options.pipelineJvmOptions(), latency.pipelineSettings());
        return new LatencyRun(mariadb, kafka, o).run(options.workDir().resolve("latency"), rates);
    }

    static RowChecksum sourceChecksum(MariaDbServer mariadb) throws SQLException {
        try (Connection c = mariadb.connect()) {
            return RowChecksum.ofTable(c, Backlog.TABLE);
        }
    }

    private DrainMeasurement drain(Path config, KafkaBroker kafka, MariaDbServer mariadb, Backlog.Result backlog)
            throws InterruptedException {
        return SluiceDrain.run(config, TOPICS.positions(), BenchConfig.PIPELINE, kafka, mariadb, backlog,
                options.heap(), options.pipelineJvmOptions(), drainTimeout());
    }

    /** Generous: ten times the time the target rate (100k events/s) would take, plus a minute for start-up. */
    private Duration drainTimeout() {
        return drainTimeout(options.events());
    }

    static Duration drainTimeout(long events) {
        return Duration.ofSeconds(60 + events / 10_000);
    }

    static String tableTopic() {
        return TOPICS.table("bench", "rows");
    }
}
