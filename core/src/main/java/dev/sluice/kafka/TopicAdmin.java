package dev.sluice.kafka;

import dev.sluice.config.SluiceConfig;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics Sluice writes to, once each, before the first record is sent to them: at start the internal
 * topics and those of every captured table, later the topic of a table created while streaming.
 */
public final class TopicAdmin implements AutoCloseable {
    private static final int CREATE_BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    private final Admin admin;
    private final SluiceConfig.Kafka kafka;
    private final Set<String> known = new HashSet<>();

    public TopicAdmin(SluiceConfig.Kafka kafka) {
        Properties props = KafkaClients.base(kafka);
        props.put("request.timeout.ms", "15000");
        props.put("default.api.timeout.ms", "30000");
        this.admin = Admin.create(props);
        this.kafka = kafka;
    }

    /** Lists existing topics; the first call to Kafka, so it doubles as the reachability check. */
    public void loadExisting() throws ExecutionException, InterruptedException, TimeoutException {
        known.addAll(admin.listTopics().names().get(10, TimeUnit.SECONDS));
    }

    public void ensureInternalTopics(TopicNames names) {
        ensure(List.of(
                new Wanted(
                        names.positions(),
                        1,
                        Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000"),
                        "positions"),
                new Wanted(
                        names.schemaChanges(),
                        1,
                        Map.of("retention.ms", "-1", "retention.bytes", "-1"),
                        "schema changes"),
                // One key per table and version: compaction never drops a version a lagging reader needs.
                new Wanted(names.schemas(), 1, Map.of("cleanup.policy", "compact"), "table schemas"),
                new Wanted(names.snapshotRequests(), 1, Map.of(), "snapshot requests")));
    }

    /**
     * Creates the topics of these tables (topic → qualified table name) that do not exist yet, in one request per
     * {@value #CREATE_BATCH} topics. One request costs about what creating one topic does; creating each topic when
     * its first row arrives held the stream thread for a round trip per table, seconds for a hundred tables.
     */
    public void ensureTableTopics(Map<String, String> tablesByTopic) {
        List<Wanted> wanted = new ArrayList<>();
        tablesByTopic.forEach((topic, table) -> wanted.add(tableTopic(topic, table)));
        for (int from = 0; from < wanted.size(); from += CREATE_BATCH) {
            ensure(wanted.subList(from, Math.min(wanted.size(), from + CREATE_BATCH)));
        }
    }

    /** Creates a table's topic if it does not exist yet. */
    public void ensureTableTopic(String topic, String tableName) {
        ensure(List.of(tableTopic(topic, tableName)));
    }

    private Wanted tableTopic(String topic, String tableName) {
        return new Wanted(topic, kafka.partitions(), Map.of(), "table " + tableName);
    }

    /** A topic Sluice needs, and what for (named in the log and in errors). */
    private record Wanted(String topic, int partitions, Map<String, String> configs, String purpose) {}

    private void ensure(List<Wanted> topics) {
        List<Wanted> missing =
                topics.stream().filter(t -> !known.contains(t.topic())).toList();
        if (missing.isEmpty()) {
            return;
        }
        Optional<Short> replication =
                kafka.replicationFactor() < 0 ? Optional.empty() : Optional.of((short) kafka.replicationFactor());
        List<NewTopic> requests = missing.stream()
                .map(t -> new NewTopic(t.topic(), Optional.of(t.partitions()), replication).configs(t.configs()))
                .toList();
        Map<String, KafkaFuture<Void>> results = admin.createTopics(requests).values();
        for (Wanted t : missing) {
            awaitCreated(t, results.get(t.topic()));
            known.add(t.topic());
        }
    }

    private void awaitCreated(Wanted t, KafkaFuture<Void> result) {
        try {
            result.get(30, TimeUnit.SECONDS);
            log.info("Created topic {} ({} partition(s)) for {}", t.topic(), t.partitions(), t.purpose());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidTopicException) {
                throw new SluiceException(
                        ExitCode.DATA,
                        "Kafka refused topic " + t.topic() + " for " + t.purpose()
                                + ": " + e.getCause().getMessage()
                                + ". Kafka treats '.' and '_' as equal in topic names; "
                                + "exclude one of the colliding tables or use another kafka.topic-prefix.");
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "Cannot create topic " + t.topic() + ": " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topic " + t.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + t.topic(), e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
