package dev.sluice.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N Kafka brokers forming one KRaft cluster on loopback, each a child JVM ({@link KafkaBroker}). The quorum has one
 * voter: node 1 is broker and controller, nodes 2..N are brokers only. One voter rather than three combined nodes
 * because three combined-role nodes were seen to crash on this kind of machine (MACHINE-FACTS.md), and a benchmark
 * of the data path needs replication between brokers, not a fault-tolerant controller.
 */
public final class KafkaCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);

    private final List<KafkaBroker> brokers;

    private KafkaCluster(List<KafkaBroker> brokers) {
        this.brokers = brokers;
    }

    /** Starts {@code size} brokers under {@code dir}/node-&lt;id&gt; and waits until every one sees all of them. */
    public static KafkaCluster start(Path dir, int size, int heapMb) {
        long started = System.nanoTime();
        String clusterId = Uuid.randomUuid().toString();
        int quorumPort = Ports.free();
        List<KafkaBroker> brokers = new ArrayList<>();
        try {
            for (int id = 1; id <= size; id++) {
                KafkaBroker.Node node =
                        new KafkaBroker.Node(id, Ports.free(), id == 1 ? quorumPort : -1, quorumPort, id == 1, size);
                brokers.add(KafkaBroker.launch(dir.resolve("node-" + id), node, clusterId, heapMb, Map.of()));
            }
            brokers.forEach(b -> b.awaitReady(size));
        } catch (RuntimeException e) {
            brokers.forEach(KafkaBroker::stop);
            throw e;
        }
        KafkaCluster cluster = new KafkaCluster(List.copyOf(brokers));
        log.info(
                "Kafka cluster of {} brokers ready at {} in {} ms (logs in {})",
                size,
                cluster.bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000,
                dir.toAbsolutePath());
        return cluster;
    }

    public String bootstrapServers() {
        return brokers.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    public List<KafkaBroker> brokers() {
        return brokers;
    }

    public int size() {
        return brokers.size();
    }

    /** Brokers first, the controller node last, so no broker waits for a controller that is gone. */
    @Override
    public void close() {
        for (int i = brokers.size() - 1; i >= 0; i--) {
            brokers.get(i).stop();
        }
    }
}
