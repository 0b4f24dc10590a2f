package dev.sluice.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the seed's three producer cases (Jay Kreps, "Benchmarking Apache Kafka", 2014, whose commands the seed's
 * table repeats): the topic's replication factor and the producer settings given to ProducerPerformance. Cases 1
 * and 2 use Kreps' {@code batch.size=8196 buffer.memory=67108864}; case 3 the seed's {@code batch.size=64000}.
 * {@code seedRecordsPerSec} is the seed's published figure (3 m4.large brokers, Kafka 0.9).
 */
public record ProducerCase(
        String name, String label, int replicationFactor, String acks, int batchSize, long seedRecordsPerSec) {
    public static final List<ProducerCase> SEED = List.of(
            new ProducerCase("rf1", "RF 1 (no replication), acks=1", 1, "1", 8196, 747_417),
            new ProducerCase("rf3-acks0", "RF 3, acks=0 (async)", 3, "0", 8196, 427_051),
            new ProducerCase("rf3-acksall", "RF 3, acks=all, batch.size=64000 (sync)", 3, "all", 64000, 205_475));

    /** The --producer-props of the official tool, bootstrap servers first. */
    public Map<String, String> producerProps(String bootstrapServers) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("acks", acks);
        props.put("batch.size", Integer.toString(batchSize));
        props.put("buffer.memory", "67108864");
        return props;
    }

    public String topic(String runner) {
        return "perf-" + name + "-" + runner;
    }
}
