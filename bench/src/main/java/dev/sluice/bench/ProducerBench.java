package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.embedded.KafkaCluster;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer benchmark's story: start a 3-broker KRaft cluster on loopback, then for each of the seed's three cases
 * create two identical topics, run the official {@code ProducerPerformance} into one and Sluice's writer path
 * ({@link WriterPerf}) into the other, each in a fresh client JVM with the same heap, one after the other.
 */
public final class ProducerBench {
    private static final Logger log = LoggerFactory.getLogger(ProducerBench.class);
    static final String OFFICIAL_TOOL = "org.apache.kafka.tools.ProducerPerformance";
    static final String TOPIC_PREFIX = "perf";

    private final Options options;
    private final PrintStream echo;

    /** The knobs of one run. */
    public record Options(
            long records,
            int recordSize,
            int partitions,
            int brokers,
            int brokerHeapMb,
            String clientHeap,
            Path workDir,
            boolean keepData) {}

    /** The two runs of one case. */
    public record CaseResult(
            ProducerCase producerCase,
            PerfLine official,
            PerfLine writer,
            TopicCheck.Seen officialCheck,
            TopicCheck.Seen writerCheck) {
        public boolean checkOk() {
            return officialCheck.ok() && writerCheck.ok();
        }

        public double writerToOfficial() {
            return writer.recordsPerSec() / official.recordsPerSec();
        }
    }

    public ProducerBench(Options options, PrintStream echo) {
        this.options = options;
        this.echo = echo;
    }

    /** Runs the three cases; each result carries the check of both topics (read_committed count and size). */
    public ProducerBenchResult run() {
        String git = Manifest.gitDescription();
        ObjectNode manifest =
                Manifest.forKafkaBench(brokerDescription(), ClientJvm.jvmFlags(options.clientHeap()), workload(), git);
        List<CaseResult> results = new ArrayList<>();
        double machineBefore = ProcessStats.machineBusySeconds();
        long start = System.nanoTime();
        try (KafkaCluster cluster =
                KafkaCluster.start(options.workDir().resolve("kafka"), options.brokers(), options.brokerHeapMb())) {
            for (ProducerCase c : ProducerCase.SEED) {
                results.add(runCase(cluster, c));
            }
        } finally {
            if (!options.keepData()) {
                KafkaData.delete(options.workDir().resolve("kafka"));
            }
        }
        manifest.put("machine_busy_cpu_seconds_during_bench", ProcessStats.machineBusySeconds() - machineBefore);
        manifest.put("bench_wall_seconds", (System.nanoTime() - start) / 1e9);
        return new ProducerBenchResult(manifest, options, results);
    }

    private CaseResult runCase(KafkaCluster cluster, ProducerCase c) {
        log.info(
                "Case {}: {} records of {} bytes, {} partitions",
                c.label(),
                options.records(),
                options.recordSize(),
                options.partitions());
        createTopics(cluster, c);
        PerfLine official = runOfficial(cluster, c);
        echo.println(c.name() + " official:      " + official.format());
        PerfLine writer = runWriter(cluster, c);
        echo.println(c.name() + " sluice writer: " + writer.format());
        return new CaseResult(
                c, official, writer, check(cluster, c.topic("official")), check(cluster, c.topic("sluice")));
    }

    /** Read back after both runs, so the check's consumer does not compete with either. */
    private TopicCheck.Seen check(KafkaCluster cluster, String topic) {
        TopicCheck.Seen seen =
                TopicCheck.read(cluster.bootstrapServers(), topic, options.records(), options.recordSize());
        log.info("Check of {}: {}", topic, seen.describe());
        return seen;
    }

    private void createTopics(KafkaCluster cluster, ProducerCase c) {
        Properties props = new Properties();
        props.put("bootstrap.servers", cluster.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(newTopic(c.topic("official"), c), newTopic(c.topic("sluice"), c)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create the topics of case " + c.name() + ": " + e.getMessage(), e);
        }
    }

    private NewTopic newTopic(String name, ProducerCase c) {
        return new NewTopic(name, options.partitions(), (short) c.replicationFactor());
    }

    private PerfLine runOfficial(KafkaCluster cluster, ProducerCase c) {
        List<String> args = new ArrayList<>(List.of(
                "--topic",
                c.topic("official"),
                "--num-records",
                Long.toString(options.records()),
                "--record-size",
                Integer.toString(options.recordSize()),
                "--throughput",
                "-1",
                "--command-property"));
        for (Map.Entry<String, String> e :
                c.producerProps(cluster.bootstrapServers()).entrySet()) {
            args.add(e.getKey() + "=" + e.getValue());
        }
        List<String> out = ClientJvm.run(c.name() + " official", options.clientHeap(), OFFICIAL_TOOL, args, echo);
        return PerfLine.findIn(out)
                .orElseThrow(() -> new IllegalStateException(
                        "ProducerPerformance printed no summary line:\n" + String.join("\n", out)));
    }

    private PerfLine runWriter(KafkaCluster cluster, ProducerCase c) {
        List<String> args = List.of(
                cluster.bootstrapServers(),
                TOPIC_PREFIX + "-" + c.name(),
                c.topic("sluice"),
                Long.toString(options.records()),
                Integer.toString(options.recordSize()),
                Integer.toString(options.partitions()),
                Integer.toString(c.replicationFactor()));
        List<String> out =
                ClientJvm.run(c.name() + " sluice", options.clientHeap(), WriterPerf.class.getName(), args, echo);
        return PerfLine.findIn(out)
                .orElseThrow(() -> new IllegalStateException(
                        "The writer run printed no summary line:\n" + String.join("\n", out)));
    }

    /** ProducerPerformance's payload when no payload file is given: random upper-case letters, made once, reused. */
    static byte[] payload(int size) {
        Random random = new Random(0);
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (random.nextInt(26) + 65);
        }
        return payload;
    }

    private String brokerDescription() {
        return options.brokers() + " KRaft brokers on loopback, one JVM each (-Xmx" + options.brokerHeapMb()
                + "m, SerialGC); node 1 is also the single controller voter";
    }

    private ObjectNode workload() {
        ObjectNode w = new ObjectMapper().createObjectNode();
        w.put("records_per_run", options.records());
        w.put("record_bytes", options.recordSize());
        w.put("partitions", options.partitions());
        w.put("producer_threads", 1);
        w.put("key", "none (null), like ProducerPerformance");
        w.put("order", "per case: official tool, then Sluice writer, each in a fresh JVM, on its own topic");
        w.put(
                "sluice_writer",
                "KafkaWriter: transactional.id, idempotence, acks=all, linger.ms=5, batch.size=262144;"
                        + " commit with a position record every " + WriterPerf.COMMIT_INTERVAL_MS + " ms or "
                        + WriterPerf.COMMIT_MAX_EVENTS + " records; latency = send -> commit returned");
        return w;
    }
}
