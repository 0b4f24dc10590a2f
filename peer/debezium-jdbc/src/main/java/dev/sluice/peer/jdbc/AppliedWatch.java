package dev.sluice.peer.jdbc;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the sink from outside the connector, as an operator would: the offsets its consumer group has committed
 * (read with an AdminClient) and its task's state (Kafka Connect's own metrics, in this JVM's MBean server).
 *
 * <p>Committed offsets are what the connector says it has written: Debezium's JDBC sink writes a put()'s records
 * before put() returns (one JDBC batch and transaction per table and {@code batch.size} records) and hands Connect,
 * in {@code preCommit}, only the offsets of records it wrote, so a committed offset of n on a partition means its
 * first n records are in the database. If a write fails the sink keeps the offsets where they were and fails the task
 * on the next put(); no record whose write failed is counted. The sum of committed offsets over the group's
 * partitions is compared with the expected record count (the topics are new, so their offsets start at 0).
 */
final class AppliedWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AppliedWatch.class);

    private final SinkSettings settings;
    private final Admin admin;
    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    private volatile boolean stopped;
    private volatile long committed;
    private volatile long committedAtFirst;
    private volatile long firstCommitMs;
    private volatile long appliedAtMs;
    private volatile long runningAtMs;
    private volatile long failedAtMs;
    private volatile String taskState = "unassigned";
    private volatile Map<TopicPartition, Long> committedOffsets = Map.of();

    AppliedWatch(SinkSettings settings) {
        this.settings = settings;
        Properties p = new Properties();
        p.put("bootstrap.servers", settings.bootstrapServers());
        p.put("client.id", "sluice-peer-applied-watch");
        p.put("request.timeout.ms", "10000");
        p.put("default.api.timeout.ms", "15000");
        this.admin = Admin.create(p);
    }

    /** Polls until {@link #stop()}; prints the markers. */
    void run() {
        while (!stopped) {
            try {
                pollTaskState();
                pollCommitted();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!stopped) {
                    log.warn("Could not read the sink's progress: {}", e.toString());
                }
            }
            try {
                Thread.sleep(settings.pollMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void pollCommitted() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(settings.group())
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        long now = System.currentTimeMillis();
        Map<TopicPartition, Long> current = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (om != null) {
                current.put(tp, om.offset());
            }
        });
        long sum = current.values().stream().mapToLong(Long::longValue).sum();
        committedOffsets = current;
        committed = sum;
        if (sum > 0 && firstCommitMs == 0) {
            firstCommitMs = now;
            committedAtFirst = sum;
        }
        if (appliedAtMs == 0 && sum >= settings.expected()) {
            appliedAtMs = now;
            marker("PEER-APPLIED " + now + " " + sum);
        }
    }

    private void pollTaskState() throws Exception {
        String state = String.valueOf(taskMetric("connector-task-metrics", "status"));
        if (state.equals("null")) {
            return;
        }
        taskState = state;
        long now = System.currentTimeMillis();
        if (runningAtMs == 0 && state.equals("running")) {
            runningAtMs = now;
            marker("PEER-RUNNING " + now);
        }
        if (failedAtMs == 0 && state.equals("failed")) {
            failedAtMs = now;
            marker("PEER-FAILED " + now + " the sink task failed; its trace is in the log above");
        }
    }

    /** An attribute of the task's metric group {@code group} (task 0 of the connector), or null. */
    private Object taskMetric(String group, String attribute) {
        try {
            Set<ObjectName> names = mbeans.queryNames(new ObjectName("kafka.connect:type=" + group + ",*"), null);
            for (ObjectName n : names) {
                String connector = ObjectName.unquote(quoted(n.getKeyProperty("connector")));
                if (connector.equals(settings.name()) && "0".equals(n.getKeyProperty("task"))) {
                    return mbeans.getAttribute(n, attribute);
                }
            }
        } catch (Exception e) {
            log.debug("No metric {} {}: {}", group, attribute, e.toString());
        }
        return null;
    }

    private static String quoted(String value) {
        if (value == null) {
            return "\"\"";
        }
        return value.startsWith("\"") ? value : "\"" + value + "\"";
    }

    /** Kafka Connect's figures for the task; read them before the worker stops (they go with the task). */
    Map<String, Object> taskMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size_avg", taskMetric("connector-task-metrics", "batch-size-avg"));
        m.put("batch_size_max", taskMetric("connector-task-metrics", "batch-size-max"));
        m.put("sink_record_read_total", taskMetric("sink-task-metrics", "sink-record-read-total"));
        m.put("sink_record_send_total", taskMetric("sink-task-metrics", "sink-record-send-total"));
        m.put("put_batch_avg_time_ms", taskMetric("sink-task-metrics", "put-batch-avg-time-ms"));
        m.put("put_batch_max_time_ms", taskMetric("sink-task-metrics", "put-batch-max-time-ms"));
        m.put("offset_commit_completion_total", taskMetric("sink-task-metrics", "offset-commit-completion-total"));
        return m;
    }

    void stop() {
        stopped = true;
    }

    /** One line of JSON for the harness: what was applied, and when, read once more after the worker stopped. */
    String summary(Map<String, Object> metrics) {
        long endOffsets = -1;
        try {
            pollCommitted();
            Set<TopicPartition> partitions = committedOffsets.keySet();
            if (!partitions.isEmpty()) {
                endOffsets = admin.listOffsets(partitions.stream()
                                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                        .all()
                        .get(10, TimeUnit.SECONDS)
                        .values()
                        .stream()
                        .mapToLong(r -> r.offset())
                        .sum();
            }
        } catch (Exception e) {
            log.warn("Could not read the final offsets: {}", e.toString());
        }
        StringBuilder json = new StringBuilder("{");
        json.append("\"committed\":").append(committed)
                .append(",\"end_offsets\":").append(endOffsets)
                .append(",\"expected\":").append(settings.expected())
                .append(",\"running_at_ms\":").append(runningAtMs)
                .append(",\"first_commit_ms\":").append(firstCommitMs)
                .append(",\"committed_at_first\":").append(committedAtFirst)
                .append(",\"applied_at_ms\":").append(appliedAtMs)
                .append(",\"failed_at_ms\":").append(failedAtMs)
                .append(",\"task_state\":\"").append(taskState).append('"')
                .append(",\"batch_size\":").append(settings.batchSize());
        metrics.forEach((k, v) -> json.append(",\"").append(k).append("\":").append(number(v)));
        json.append(",\"topics\":\"")
                .append(new TreeSet<>(committedOffsets.keySet().stream().map(TopicPartition::topic).toList())
                        .stream()
                        .collect(Collectors.joining(",")))
                .append("\"}");
        return json.toString();
    }

    private static String number(Object v) {
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : String.format(java.util.Locale.ROOT, "%.1f", d);
        }
        return v instanceof Number ? v.toString() : "null";
    }

    private static void marker(String line) {
        System.out.println(line);
        System.out.flush();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
