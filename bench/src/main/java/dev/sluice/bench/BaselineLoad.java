package dev.sluice.bench;

import dev.sluice.event.ChangeEvent;
import dev.sluice.event.EnvelopeDecoder;
import dev.sluice.kafka.TopicNames;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hand-written loaders (a) row by row, (b) multi-row batches and (c) COPY of the final rows, each run by
 * {@code sluice bench load} in a JVM of its own like Sluice's loader, so each process is measured alone. It reads
 * Sluice's change topics of a finished backlog from the first offset to the end with one consumer, decodes each
 * record with Sluice's own decoder, and hands it to the loader's writer; the target tables exist already. When the
 * target holds everything it prints {@code LOADED <epoch ms> <events> <copy seconds>} (and {@code READING <epoch ms>}
 * at the first record) and waits to be stopped, so the
 * harness can read its CPU and memory while it is alive.
 *
 * <p>Arguments: {@code rows|batch|copy BOOTSTRAP_SERVERS TOPIC_PREFIX JDBC_URL BATCH_EVENTS TOPIC...}
 */
public final class BaselineLoad {
    public static final String LOADED = "LOADED ";
    /** Printed when the first record arrives: the end of the loader's start-up. */
    public static final String READING = "READING ";

    private BaselineLoad() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0].toLowerCase(Locale.ROOT);
        String bootstrap = args[1];
        TopicNames names = new TopicNames(args[2]);
        int batchEvents = Integer.parseInt(args[4]);
        List<String> topics = List.of(args).subList(5, args.length);
        EnvelopeDecoder decoder = new EnvelopeDecoder();
        try (Connection c = DriverManager.getConnection(args[3], "postgres", "")) {
            Map<String, BaselineTable> tables = tablesOf(c, names, topics);
            BaselineWriter writer = writer(mode, c, batchEvents);
            long[] events = {0};
            TopicScan.readAll(bootstrap, topics, r -> {
                if (events[0] == 0) {
                    System.out.println(READING + System.currentTimeMillis());
                }
                ChangeEvent event = decoder.decode(r.topic(), r.partition(), r.offset(), r.key(), r.value());
                if (!event.isTombstone()) {
                    writer.accept(tables.get(r.topic()), event);
                    events[0]++;
                }
            });
            writer.finish();
            double copySeconds = writer instanceof CopyWriter copy ? copy.copySeconds() : 0;
            System.out.println(LOADED + System.currentTimeMillis() + " " + events[0] + " " + copySeconds);
            System.out.flush();
            // Alive until the harness has read /proc and stops it (SIGTERM); the connection stays open meanwhile.
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static BaselineWriter writer(String mode, Connection c, int batchEvents) throws Exception {
        return switch (mode) {
            case "rows" -> new RowByRowWriter(c);
            case "batch" -> new MultiRowWriter(c, batchEvents);
            case "copy" -> new CopyWriter(c);
            default -> throw new IllegalArgumentException("mode must be rows, batch or copy, not " + mode);
        };
    }

    /** Each table topic's target table: the source table's name in the schema named after its database. */
    private static Map<String, BaselineTable> tablesOf(Connection c, TopicNames names, List<String> topics)
            throws Exception {
        Map<String, BaselineTable> tables = new HashMap<>();
        for (String topic : topics) {
            TopicNames.Table t =
                    names.parse(topic).orElseThrow(() -> new IllegalArgumentException(topic + " is not a table topic"));
            tables.put(topic, BaselineTable.read(c, t.database(), t.table()));
        }
        return tables;
    }
}
