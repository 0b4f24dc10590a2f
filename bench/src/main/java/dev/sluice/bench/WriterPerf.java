package dev.sluice.bench;

import dev.sluice.config.ConfigKeys;
import dev.sluice.config.SluiceConfig;
import dev.sluice.kafka.KafkaWriter;
import dev.sluice.kafka.TopicAdmin;
import dev.sluice.kafka.TopicNames;
import dev.sluice.position.BinlogPosition;
import dev.sluice.position.Flavor;
import dev.sluice.position.GtidSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Sluice's Kafka writer path driven with ProducerPerformance's records: {@link KafkaWriter} (transactional producer,
 * acks=all, idempotence, Sluice's linger and batch defaults) sends N records of one reused random payload with no
 * key, and commits a transaction with a position record at Sluice's default boundaries (every 100 ms or 20,000
 * events, whichever comes first), as the pipeline does. No binlog, no encoding: the writer's own ceiling.
 *
 * <p>Latency here is send → commit returned, i.e. when a read_committed consumer may see the record; Kafka's tool
 * measures send → ack. The two are printed in the same line format but are not the same quantity.
 *
 * <p>Run as its own JVM by {@link ProducerBench} ({@code main}) so it starts as cold as the official tool does.
 * Not thread-safe: one instance per thread ({@link ScaleBench} runs several).
 */
public final class WriterPerf {
    static final int COMMIT_INTERVAL_MS = ConfigKeys.PIPELINE_COMMIT_INTERVAL_MS.defaultValue();
    static final int COMMIT_MAX_EVENTS = ConfigKeys.PIPELINE_COMMIT_MAX_EVENTS.defaultValue();

    private final KafkaWriter writer;
    private final String topic;
    private final byte[] payload;
    private final long[] sentAtNanos = new long[COMMIT_MAX_EVENTS];
    private final Histogram latencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    private GtidSet gtids = GtidSet.empty(Flavor.MARIADB);
    private long transactions;

    public WriterPerf(KafkaWriter writer, String topic, int recordSize) {
        this.writer = writer;
        this.topic = topic;
        this.payload = ProducerBench.payload(recordSize);
    }

    /** {@code bootstrap prefix topic records recordSize partitions replicationFactor}; prints one {@link PerfLine}. */
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String prefix = args[1];
        String topic = args[2];
        long records = Long.parseLong(args[3]);
        int recordSize = Integer.parseInt(args[4]);
        SluiceConfig.Kafka kafka = kafkaConfig(bootstrap, prefix, Integer.parseInt(args[5]), Integer.parseInt(args[6]));
        try (KafkaWriter writer = open(kafka, "sluice-bench-" + topic, topic)) {
            System.out.println(
                    new WriterPerf(writer, topic, recordSize).run(records, true).format());
        }
    }

    static SluiceConfig.Kafka kafkaConfig(String bootstrap, String prefix, int partitions, int replicationFactor) {
        return new SluiceConfig.Kafka(
                bootstrap, prefix, partitions, replicationFactor, Map.of(), Duration.ofSeconds(30));
    }

    /** Creates the position and table topics the way the pipeline does, then opens the writer (initTransactions). */
    static KafkaWriter open(SluiceConfig.Kafka kafka, String transactionalId, String topic) throws Exception {
        TopicNames names = new TopicNames(kafka.topicPrefix());
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.loadExisting();
            admin.ensureInternalTopics(names);
            admin.ensureTableTopic(topic, "bench");
        }
        return KafkaWriter.open(kafka, transactionalId, names, Flavor.MARIADB, 1);
    }

    /** Sends {@code records} and commits them; with {@code progress}, a line on stderr every 5 s like Kafka's tool. */
    public PerfLine run(long records, boolean progress) {
        long start = System.nanoTime();
        long nextReport = start + TimeUnit.SECONDS.toNanos(5);
        long sent = 0;
        while (sent < records) {
            sent += sendTransaction(Math.min(COMMIT_MAX_EVENTS, records - sent));
            if (progress && System.nanoTime() > nextReport) {
                System.err.printf("%d records sent, %.1f records/sec%n", sent, sent / seconds(start));
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
        }
        return summary(records, seconds(start), records * (long) payload.length);
    }

    /**
     * Sends until {@code max} records or the commit interval is reached, then commits; returns the records sent.
     * Each record's latency is recorded when the commit that makes it visible returns.
     */
    int sendTransaction(long max) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMMIT_INTERVAL_MS);
        int n = 0;
        do {
            sentAtNanos[n] = System.nanoTime();
            writer.send(topic, null, payload, "bench.rows", null, n);
            n++;
        } while (n < max && sentAtNanos[n - 1] < deadline);
        commit();
        long committed = System.nanoTime();
        for (int i = 0; i < n; i++) {
            latencyMicros.recordValue((committed - sentAtNanos[i]) / 1000);
        }
        return n;
    }

    private void commit() {
        transactions++;
        gtids = gtids.with("0-1-" + transactions);
        writer.commit(BinlogPosition.atBoundary(gtids, "bench-bin.000001", transactions), System.currentTimeMillis());
    }

    private PerfLine summary(long records, double seconds, long bytes) {
        Histogram h = latencyMicros;
        return new PerfLine(
                records,
                records / seconds,
                bytes / seconds / (1 << 20),
                h.getMean() / 1000.0,
                h.getMaxValue() / 1000.0,
                ms(h, 50),
                ms(h, 95),
                ms(h, 99),
                ms(h, 99.9));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
