package dev.sluice.sink;

import dev.sluice.config.SluiceConfig;
import dev.sluice.ops.ExitCode;
import dev.sluice.ops.SluiceException;
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
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics Sluice writes to, once each, before the first record is sent to them. */
public final class TopicAdmin implements AutoCloseable {
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
        ensure(names.positions(), 1, Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000"), "positions");
        ensure(names.schemaChanges(), 1, Map.of("retention.ms", "-1", "retention.bytes", "-1"), "schema changes");
        ensure(names.snapshotRequests(), 1, Map.of(), "snapshot requests");
    }

    /** Creates a table's topic if it does not exist yet. */
    public void ensureTableTopic(String topic, String tableName) {
        ensure(topic, kafka.partitions(), Map.of(), "table " + tableName);
    }

    private void ensure(String topic, int partitions, Map<String, String> configs, String purpose) {
        if (known.contains(topic)) {
            return;
        }
        Optional<Short> replication = kafka.replicationFactor() < 0 ? Optional.empty()
                : Optional.of((short) kafka.replicationFactor());
        NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), replication).configs(configs);
        try {
            admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
            log.info("Created topic {} ({} partition(s)) for {}", topic, partitions, purpose);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidTopicException) {
                throw new SluiceException(ExitCode.DATA, "Kafka refused topic " + topic + " for " + purpose + ": "
                        + e.getCause().getMessage() + ". Kafka treats '.' and '_' as equal in topic names; exclude one "
                        + "of the colliding tables or use another kafka.topic-prefix.");
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        }
        known.add(topic);
    }

    @Override
    public void close() {
        admin.close();
    }
}
