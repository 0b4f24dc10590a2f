package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.embedded.MariaDbServer;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A binlog event or row Sluice cannot interpret or publish must stop the pipeline before it, never be skipped:
 * MariaDB's compressed row events ({@code log_bin_compress=ON}, switched on after the pre-flight check passed),
 * which the binlog library delivers without data, and a row larger than Kafka accepts.
 */
class UninterpretableEventTest {
    @Test
    void aRowLargerThanKafkaAcceptsStopsNamingTableKeyAndGtid() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        try (Connection c = server.connect()) {
            String db = TestServers.uniqueName("big");
            exec(
                    c,
                    "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, body LONGBLOB)",
                    "SET GLOBAL max_allowed_packet = 16777216");
            var settings = TestConfigs.forDatabase(server, db);
            try (TopicReader topics = new TopicReader(
                    TestServers.kafka().bootstrapServers(),
                    Pattern.compile(Pattern.quote("t_" + db + "." + db + ".t")))) {
                InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings));
                exec(c, "INSERT INTO " + db + ".t VALUES (1, 'small')");
                topics.readUntil(r -> !r.isEmpty(), Duration.ofSeconds(60), "the small row");
                String lastGood = scalar(c, "SELECT @@gtid_binlog_pos");
                String bigGtid = dev.sluice.testkit.Sql.transaction(
                        c,
                        "INSERT INTO " + db + ".t VALUES (2, REPEAT('x', 2000000))",
                        "INSERT INTO " + db + ".t VALUES (3, 'same transaction')");
                exec(c, "INSERT INTO " + db + ".t VALUES (4, 'after')");
                SluiceException e =
                        assertInstanceOf(SluiceException.class, pipeline.awaitFailure(Duration.ofSeconds(60)));
                assertEquals(ExitCode.DATA, e.exitCode(), e.getMessage());
                assertTrue(
                        e.getMessage().contains("table " + db + ".t with key {\"id\":2} at GTID " + bigGtid),
                        e.getMessage());
                assertTrue(e.getMessage().contains("max.request.size"), "says what to do: " + e.getMessage());
                assertEquals(
                        List.of(1),
                        topics.drain(Duration.ofMillis(500)).stream()
                                .map(r -> r.after().get("id").asInt())
                                .toList(),
                        "nothing of or after the big row's transaction");
                try (TopicReader positions = new TopicReader(
                        TestServers.kafka().bootstrapServers(),
                        Pattern.compile(Pattern.quote("t_" + db + "._positions")))) {
                    List<Rec> stored = positions.drain(Duration.ofMillis(500));
                    assertEquals(
                            lastGood,
                            stored.get(stored.size() - 1).value().get("gtids").asText(),
                            "the committed position stays before the big row's transaction");
                }
            }
        }
    }

    @Test
    void compressedEventsStopThePipelineAtThatPositionAndNothingAfterIsPublished() throws Exception {
        try (MariaDbServer server = TestServers.throwawayMariaDb("compress", MariaDbServer.Options.defaults());
                Connection c = server.connect()) {
            String db = TestServers.uniqueName("u");
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, body TEXT)");
            var settings = TestConfigs.forDatabase(server, db);
            try (TopicReader topics = new TopicReader(
                    TestServers.kafka().bootstrapServers(),
                    Pattern.compile(Pattern.quote("t_" + db + "." + db + ".t")))) {
                InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings));
                exec(c, "INSERT INTO " + db + ".t VALUES (1, 'plain')");
                String lastGood = scalar(c, "SELECT @@gtid_binlog_pos");
                topics.readUntil(r -> !r.isEmpty(), Duration.ofSeconds(60), "the uncompressed row");
                exec(
                        c,
                        "SET GLOBAL log_bin_compress = ON",
                        "INSERT INTO " + db + ".t VALUES (2, REPEAT('compressible ', 200))",
                        "SET GLOBAL log_bin_compress = OFF",
                        "INSERT INTO " + db + ".t VALUES (3, 'after')");
                Throwable failure = pipeline.awaitFailure(Duration.ofSeconds(60));
                SluiceException e = assertInstanceOf(SluiceException.class, failure);
                assertEquals(ExitCode.DATA, e.exitCode());
                assertTrue(e.getMessage().contains("cannot be interpreted"), e.getMessage());
                assertTrue(e.getMessage().contains("Stopped at GTID " + lastGood), e.getMessage());
                assertTrue(e.getMessage().contains("log_bin_compress"), "says what to do: " + e.getMessage());
                List<Rec> published = topics.drain(Duration.ofMillis(500));
                assertEquals(
                        List.of(1),
                        published.stream().map(r -> r.after().get("id").asInt()).toList(),
                        "rows 2 and 3 are not published: the pipeline stopped before the compressed event");
            }
        }
    }
}
