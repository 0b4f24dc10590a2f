package dev.sluice.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.config.ConfigReader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.event.ChangeEvent;
import dev.sluice.event.EnvelopeDecoder;
import dev.sluice.event.MalformedEventException;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.ChangeConsumer;
import dev.sluice.kafka.TopicNames;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice tail db.table}: a table's change topic as people read it, one change per line (or pretty JSON), read
 * {@code read_committed} as every consumer must. The story: find the topic's partitions, place each at the chosen
 * start, print the matching changes up to the end of the topic as it was when the command started (or, with
 * {@code --follow}, until Ctrl-C).
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Print the changes of a table's topic, one per line: op, key, source position, before and after. Reads "
                    + "only committed records (read_committed).",
            ""
        })
final class TailCommand implements Callable<Integer> {
    /** Exact numbers: a DECIMAL(65,30) printed through a double would be a changed value. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private static final Duration POLL = Duration.ofMillis(500);

    @Parameters(index = "0", arity = "0..1", paramLabel = "DB.TABLE", description = "The table (or give --topic).")
    String table;

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "The pipeline's YAML config: its kafka section says where the topics are.")
    Path config;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Read this topic instead of the table's.")
    String topic;

    @Option(
            names = "--from",
            defaultValue = "start",
            paramLabel = "WHERE",
            description = "start (default), end, a time (2026-12-05T10:00:00Z) or a GTID (the first change of that "
                    + "source transaction).")
    String from;

    @Option(
            names = "--op",
            split = ",",
            paramLabel = "OP",
            description = "Only these operations: c (insert), u (update), d (delete), r (copied row).")
    Set<String> ops;

    @Option(
            names = "--key",
            paramLabel = "COLUMN=VALUE",
            description = "Only changes of this key, e.g. --key id=42 (repeat for a composite key).")
    Map<String, String> key;

    @Option(names = "--json", description = "Print each change as pretty JSON instead of one line.")
    boolean json;

    @Option(names = "--follow", description = "Keep waiting for new changes until Ctrl-C.")
    boolean follow;

    @Option(
            names = "--limit",
            defaultValue = "0",
            paramLabel = "N",
            description = "Stop after N changes (0: no limit).")
    long limit;

    @Override
    public Integer call() {
        SluiceConfig.Kafka kafka = SluiceConfig.kafka(ConfigReader.read(config, ConfigReader.processEnv()));
        String name = topicName(kafka);
        TailFilter filter = new TailFilter(ops, key);
        try (KafkaConsumer<byte[], byte[]> consumer = ChangeConsumer.of(kafka).open()) {
            List<TopicPartition> partitions = partitionsOf(consumer, name, kafka);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            String gtid = placeAtStart(consumer, partitions, end);
            long shown = print(consumer, end, filter, gtid, System.out);
            if (!follow) {
                System.err.println("(" + shown + " change(s) shown; end of " + name + ")");
            }
        }
        return 0;
    }

    private String topicName(SluiceConfig.Kafka kafka) {
        if (topic != null) {
            return topic;
        }
        if (table == null || table.indexOf('.') <= 0) {
            throw new SluiceException(
                    ExitCode.CONFIG, "Name the table as DB.TABLE (e.g. shop.orders), or give --topic.");
        }
        int dot = table.indexOf('.');
        return new TopicNames(kafka.topicPrefix()).table(table.substring(0, dot), table.substring(dot + 1));
    }

    private static List<TopicPartition> partitionsOf(
            KafkaConsumer<byte[], byte[]> consumer, String name, SluiceConfig.Kafka kafka) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(name, Duration.ofSeconds(10));
        } catch (TimeoutException e) {
            throw new SluiceException(
                    ExitCode.UNREACHABLE,
                    "Cannot reach Kafka at " + kafka.bootstrapServers() + " within 10 s to read " + name
                            + ": is the broker running, and is kafka.bootstrap-servers right?");
        }
        if (infos == null || infos.isEmpty()) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    "Topic " + name + " does not exist on " + kafka.bootstrapServers() + ": is the table captured "
                            + "(filter.include), and is kafka.topic-prefix the pipeline's?");
        }
        return infos.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
    }

    /** Seeks every partition to {@code --from}; returns the GTID to start at, or null. */
    private String placeAtStart(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        switch (from) {
            case "start" -> consumer.seekToBeginning(partitions);
            case "end" -> end.forEach(consumer::seek);
            default -> {
                Instant at = parseTime(from);
                if (at == null) {
                    consumer.seekToBeginning(partitions);
                    return from; // a GTID: read from the start, print from its first change
                }
                Map<TopicPartition, Long> query =
                        partitions.stream().collect(Collectors.toMap(p -> p, p -> at.toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                partitions.forEach(p -> {
                    OffsetAndTimestamp o = found.get(p);
                    consumer.seek(p, o == null ? end.get(p) : o.offset());
                });
            }
        }
        return null;
    }

    private static Instant parseTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private long print(
            KafkaConsumer<byte[], byte[]> consumer,
            Map<TopicPartition, Long> end,
            TailFilter filter,
            String startGtid,
            PrintStream out) {
        EnvelopeDecoder decoder = new EnvelopeDecoder();
        Map<TopicPartition, Long> remaining = new HashMap<>(end);
        boolean started = startGtid == null;
        long shown = 0;
        while (follow || !reachedEnd(consumer, remaining)) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                ChangeEvent event = decode(decoder, r);
                started = started
                        || startGtid.equals(
                                event.source() == null ? null : event.source().gtid());
                if (started && filter.matches(event)) {
                    out.println(json ? TailLine.json(event, r) : TailLine.of(event, r));
                    shown++;
                    if (limit > 0 && shown >= limit) {
                        return shown;
                    }
                }
            }
        }
        if (!started) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    "No change of GTID " + startGtid + " in " + end.keySet() + ": --from takes "
                            + "start, end, a time such as 2026-12-05T10:00:00Z, or a GTID that is in the topic.");
        }
        return shown;
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        return end.isEmpty();
    }

    private static ChangeEvent decode(EnvelopeDecoder decoder, ConsumerRecord<byte[], byte[]> r) {
        try {
            return decoder.decode(r.topic(), r.partition(), r.offset(), r.key(), r.value());
        } catch (MalformedEventException e) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Record " + r.topic() + "/" + r.partition() + "@" + r.offset() + " is not a Sluice change event: "
                            + e.getMessage());
        }
    }

    /** Which changes {@code --op} and {@code --key} let through. */
    record TailFilter(Set<String> ops, Map<String, String> key) {
        boolean matches(ChangeEvent e) {
            if (ops != null && !ops.isEmpty() && (e.op() == null || !ops.contains(e.op().code()))) {
                return false;
            }
            if (key == null || key.isEmpty()) {
                return true;
            }
            if (e.key() == null) {
                return false;
            }
            for (Map.Entry<String, String> k : key.entrySet()) {
                JsonNode cell = e.key().get(k.getKey());
                if (cell == null || !cell.asText().equals(k.getValue())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** How one change is printed. */
    static final class TailLine {
        private TailLine() {}

        static String of(ChangeEvent e, ConsumerRecord<byte[], byte[]> r) {
            if (e.isTombstone()) {
                return r.partition() + "@" + r.offset() + " tombstone key "
                        + e.key().toJson();
            }
            ChangeEvent.Source s = e.source();
            String where = s.gtid() != null ? "gtid " + s.gtid() + "#" + s.event() : "copy " + s.file() + ":" + s.pos();
            return r.partition() + "@" + r.offset() + " " + e.op().code() + " " + where + " key "
                    + (e.key() == null ? "-" : e.key().toJson())
                    + (e.before() == null ? "" : " before " + e.before().toJson())
                    + (e.after() == null ? "" : " after " + e.after().toJson());
        }

        static String json(ChangeEvent e, ConsumerRecord<byte[], byte[]> r) {
            try {
                Object tree = r.value() == null ? null : JSON.readTree(r.value());
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
            } catch (java.io.IOException ex) {
                throw new SluiceException(ExitCode.DATA, "Record " + r.partition() + "@" + r.offset() + ": " + ex);
            }
        }
    }
}
