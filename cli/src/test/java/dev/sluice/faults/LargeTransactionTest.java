package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.embedded.MariaDbServer;
import dev.sluice.event.ChangeEvent;
import dev.sluice.event.EnvelopeDecoder;
import dev.sluice.kafka.ChangeConsumer;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * T15: one 1,000,000-row source transaction streams through a pipeline JVM with a 256 MB heap (events are sent as
 * they are decoded, nothing waits for the transaction's end), the pipeline is killed in the middle of it, and after
 * a restart the transaction is in Kafka exactly once: every event index 0..999,999 once.
 */
class LargeTransactionTest {
    private static final int ROWS = 1_000_000;

    @Test
    void millionRowTransactionAtSmallHeapSurvivesAKillInTheMiddleExactlyOnce() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        try (Connection c = server.connect()) {
            String db = TestServers.uniqueName("m");
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, payload CHAR(60))");
            Path config = TestConfigs.writeYaml(
                    TestConfigs.forDatabase(server, db),
                    TestServers.directory("cfg").resolve("sluice.yaml"));
            String gtid;
            try (SluiceProcess first = SluiceProcess.run(config, "-Dsluice.crash.at=mid-transaction:" + ROWS / 2)) {
                first.awaitOutput("Connecting to the binlog", Duration.ofSeconds(60));
                gtid = transaction(
                        c, "INSERT INTO " + db + ".t SELECT seq, REPEAT('x', 60) FROM " + db + ".seq_1_to_" + ROWS);
                assertEquals(99, first.awaitExit(Duration.ofSeconds(180)), "halted half-way:\n" + first.output());
                assertFalse(first.output().contains("OutOfMemoryError"), first.output());
            }
            try (SluiceProcess second = SluiceProcess.run(config)) {
                second.awaitOutput("Resuming pipeline", Duration.ofSeconds(60));
                String topic = "t_" + db + "." + db + ".t";
                BitSet seen = readEventIndexes(topic, gtid, Duration.ofSeconds(240));
                assertEquals(ROWS, seen.cardinality(), "every event of the transaction arrived");
                assertEquals(ROWS, seen.nextClearBit(0), "event indexes 0.." + (ROWS - 1));
                assertFalse(second.output().contains("OutOfMemoryError"), second.output());
            }
        }
    }

    /** Reads the topic with read_committed until it holds ROWS records; fails on any duplicate or foreign record. */
    private static BitSet readEventIndexes(String topic, String gtid, Duration timeout) throws Exception {
        BitSet seen = new BitSet(ROWS);
        long records = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        EnvelopeDecoder decoder = new EnvelopeDecoder();
        try (KafkaConsumer<byte[], byte[]> consumer = ChangeConsumer.of(
                        TestServers.kafka().bootstrapServers())
                .property("max.poll.records", 5000)
                .open()) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (records < ROWS) {
                assertTrue(System.nanoTime() < deadline, "only " + records + " of " + ROWS + " records arrived");
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    ChangeEvent.Source source = decoder.decode(r.topic(), r.partition(), r.offset(), r.key(), r.value())
                            .source();
                    assertEquals(gtid, source.gtid());
                    int index = Math.toIntExact(source.event());
                    assertFalse(seen.get(index), "event " + index + " published twice");
                    seen.set(index);
                    records++;
                }
            }
            assertTrue(consumer.poll(Duration.ofMillis(500)).isEmpty(), "nothing beyond the transaction's events");
        }
        return seen;
    }
}
