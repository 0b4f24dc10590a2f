package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.embedded.MariaDbServer;
import dev.sluice.ops.ExitCode;
import dev.sluice.ops.SluiceException;
import dev.sluice.testkit.InProcessPipeline;
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
 * A binlog event Sluice cannot interpret must stop the pipeline before it, never be skipped. MariaDB's compressed
 * row events ({@code log_bin_compress=ON}, switched on after the pre-flight check passed) are such events: the
 * binlog library delivers them without data.
 */
class UninterpretableEventTest {
    @Test
    void compressedEventsStopThePipelineAtThatPositionAndNothingAfterIsPublished() throws Exception {
        try (MariaDbServer server = TestServers.throwawayMariaDb("compress", MariaDbServer.Options.defaults());
             Connection c = server.connect()) {
            String db = TestServers.uniqueName("u");
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, body TEXT)");
            var settings = TestConfigs.forDatabase(server, db);
            try (TopicReader topics = new TopicReader(TestServers.kafka().bootstrapServers(),
                    Pattern.compile(Pattern.quote("t_" + db + "." + db + ".t")))) {
                InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings));
                exec(c, "INSERT INTO " + db + ".t VALUES (1, 'plain')");
                String lastGood = scalar(c, "SELECT @@gtid_binlog_pos");
                topics.readUntil(r -> !r.isEmpty(), Duration.ofSeconds(60), "the uncompressed row");
                exec(c, "SET GLOBAL log_bin_compress = ON",
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
                assertEquals(List.of(1), published.stream().map(r -> r.after().get("id").asInt()).toList(),
                        "rows 2 and 3 are not published: the pipeline stopped before the compressed event");
            }
        }
    }
}
