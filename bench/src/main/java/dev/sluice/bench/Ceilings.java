package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two ceilings BENCHMARKS.md asks every pipeline run to measure next to Sluice, on the same servers: Kafka's
 * producer (the official {@code ProducerPerformance} in its own JVM, the same number of records of the pipeline's
 * average record size into a topic with the pipeline's partition count) and the raw binlog read (the binlog client
 * Sluice wraps, with every event's body left undecoded, reading the whole binlog). Sluice can be no faster than
 * either; its drain is reported as a fraction of each.
 */
final class Ceilings {
    private static final Logger log = LoggerFactory.getLogger(Ceilings.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "ceiling-producer-performance";
    /** The server_id the raw reader connects with; distinct from the pipelines' (54001 and up). */
    private static final long RAW_READER_SERVER_ID = 53_999;

    private Ceilings() {}

    /** What was measured: the tool's summary line, and the raw read of {@code binlogBytes} in {@code seconds}. */
    record Result(PerfLine producer, int recordBytes, int partitions, RawRead binlog) {
        ObjectNode toJson() {
            ObjectNode n = JSON.createObjectNode();
            ObjectNode p = n.putObject("producer_performance");
            p.set("line", producer.toJson());
            p.put("record_bytes", recordBytes);
            p.put("partitions", partitions);
            p.put(
                    "settings",
                    "acks=all, everything else the tool's and Kafka's defaults, --throughput -1, "
                            + "1 producer thread, no key, its own JVM (" + String.join(" ", ClientJvm.jvmFlags(HEAP))
                            + ")");
            ObjectNode b = n.putObject("raw_binlog_read");
            b.put("events", binlog.events());
            b.put("bytes", binlog.bytes());
            b.put("seconds", binlog.seconds());
            b.put(
                    "settings",
                    "mysql-binlog-connector-java, every event body skipped (NullEventDataDeserializer) "
                            + "except ROTATE and FORMAT_DESCRIPTION, from the first binlog file's start to the position the "
                            + "server reported before the read, in the bench's JVM; ANNOTATE_ROWS not requested (as Sluice)");
            return n;
        }
    }

    /** The raw read: binlog events (not rows) and bytes read, and the time from connecting to the end position. */
    record RawRead(long events, long bytes, double seconds) {
        double mibPerSecond() {
            return bytes / seconds / (1 << 20);
        }
    }

    private static final String HEAP = "512m";

    /**
     * Both ceilings for a pipeline run that published {@code records} records of {@code recordBytes} on average into
     * {@code partitions} partitions.
     */
    static Result measure(
            MariaDbServer mariadb, KafkaBroker kafka, long records, int recordBytes, int partitions, PrintStream echo)
            throws Exception {
        PerfLine producer = producerPerformance(kafka, records, recordBytes, partitions, echo);
        RawRead binlog = rawBinlogRead(mariadb);
        log.info(
                "Ceilings: ProducerPerformance {} records/s of {} bytes; raw binlog read {} MiB/s ({} events in {} s)",
                String.format(Locale.ROOT, "%,.0f", producer.recordsPerSec()),
                recordBytes,
                String.format(Locale.ROOT, "%.0f", binlog.mibPerSecond()),
                binlog.events(),
                String.format(Locale.ROOT, "%.2f", binlog.seconds()));
        PeerComparison.deleteTopics(kafka.bootstrapServers(), TOPIC);
        return new Result(producer, recordBytes, partitions, binlog);
    }

    private static PerfLine producerPerformance(
            KafkaBroker kafka, long records, int recordBytes, int partitions, PrintStream echo) {
        createTopic(kafka, partitions);
        List<String> args = List.of(
                "--topic",
                TOPIC,
                "--num-records",
                Long.toString(records),
                "--record-size",
                Integer.toString(recordBytes),
                "--throughput",
                "-1",
                "--command-property",
                "bootstrap.servers=" + kafka.bootstrapServers(),
                "acks=all");
        log.info(
                "Ceiling: ProducerPerformance, {} records of {} bytes into {} partition(s)",
                records,
                recordBytes,
                partitions);
        List<String> out = ClientJvm.run("ProducerPerformance", HEAP, ProducerBench.OFFICIAL_TOOL, args, echo);
        return PerfLine.findIn(out)
                .orElseThrow(() -> new IllegalStateException(
                        "ProducerPerformance printed no summary line:\n" + String.join("\n", out)));
    }

    private static void createTopic(KafkaBroker kafka, int partitions) {
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(TOPIC, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create " + TOPIC + ": " + e.getMessage(), e);
        }
    }

    /** Reads the whole binlog with event bodies skipped, up to the position the server reports now. */
    static RawRead rawBinlogRead(MariaDbServer mariadb) throws Exception {
        String[] end = masterStatus(mariadb);
        String first = firstBinlog(mariadb);
        BinaryLogClient client = new BinaryLogClient(mariadb.host(), mariadb.port(), "root", "");
        client.setServerId(RAW_READER_SERVER_ID);
        client.setKeepAlive(false);
        client.setBinlogFilename(first);
        client.setBinlogPosition(4);
        EventDeserializer deserializer = new EventDeserializer();
        for (EventType type : EventType.values()) {
            if (type != EventType.ROTATE && type != EventType.FORMAT_DESCRIPTION) {
                deserializer.setEventDataDeserializer(type, new NullEventDataDeserializer());
            }
        }
        client.setEventDeserializer(deserializer);
        AtomicLong events = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicReference<String> file = new AtomicReference<>(first);
        CountDownLatch done = new CountDownLatch(1);
        long endPosition = Long.parseLong(end[1]);
        client.registerEventListener(event -> {
            events.incrementAndGet();
            EventHeaderV4 header = event.getHeader();
            bytes.addAndGet(header.getEventLength());
            if (header.getEventType() == EventType.ROTATE) {
                file.set(((RotateEventData) event.getData()).getBinlogFilename());
            } else if (file.get().equals(end[0]) && header.getNextPosition() >= endPosition) {
                done.countDown();
            }
        });
        long start = System.nanoTime();
        client.connect(30_000);
        try {
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("The raw binlog read did not reach " + end[0] + ":" + end[1]
                        + " within 10 minutes (" + events.get() + " events read)");
            }
            return new RawRead(events.get(), bytes.get(), (System.nanoTime() - start) / 1e9);
        } finally {
            client.disconnect();
        }
    }

    private static String[] masterStatus(MariaDbServer mariadb) throws SQLException {
        try (Connection c = mariadb.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    private static String firstBinlog(MariaDbServer mariadb) throws SQLException {
        try (Connection c = mariadb.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
