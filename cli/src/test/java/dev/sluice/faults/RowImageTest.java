package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.MariaDbServer;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.source.ServerCheck;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Partial row images never become partial events. A server configured with binlog_row_image=NOBLOB is refused
 * at the pre-flight check (MINIMAL is in BadInputTest); a single session that switches its own binlog_row_image
 * later — which no server setting prevents — stops the pipeline at that event, naming the setting, including the
 * UPDATE whose after image is complete while its before image is not.
 */
class RowImageTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @org.junit.jupiter.api.Test
    void serverWithNoblobRowImageIsRefusedByThePreflightCheck() throws Exception {
        MariaDbServer.Options options =
                MariaDbServer.Options.defaults().withExtraArgs(List.of("--binlog-row-image=NOBLOB"));
        try (MariaDbServer server = TestServers.throwawayMariaDb("noblob", options)) {
            var config = TestConfigs.build(TestConfigs.forDatabase(server, "mysql"));
            SluiceException e = assertThrows(SluiceException.class, () -> new ServerCheck(config.source()).run());
            assertEquals(ExitCode.SOURCE_NOT_READY, e.exitCode());
            assertTrue(e.getMessage().contains("binlog_row_image is NOBLOB, needs FULL"), e.getMessage());
        }
    }

    /** MINIMAL: the before image has only the key although SET names every column; NOBLOB: it lacks the blob. */
    @ParameterizedTest(name = "session binlog_row_image={0}")
    @ValueSource(strings = {"MINIMAL", "NOBLOB"})
    void aSessionWritingPartialImagesStopsThePipelineAtThatEvent(String image) throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        try (Connection c = server.connect()) {
            String db = TestServers.uniqueName("img");
            exec(
                    c,
                    "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, n INT, body BLOB)",
                    "INSERT INTO " + db + ".t VALUES (1, 1, 'one')");
            try (TopicReader topics = new TopicReader(
                    TestServers.kafka().bootstrapServers(),
                    Pattern.compile(Pattern.quote("t_" + db + "." + db + ".t")))) {
                InProcessPipeline pipeline =
                        InProcessPipeline.start(TestConfigs.build(TestConfigs.forDatabase(server, db)));
                exec(c, "UPDATE " + db + ".t SET n = 2 WHERE id = 1");
                topics.readUntil(r -> !r.isEmpty(), WAIT, "the update with a full image");
                try (Connection session = server.connect()) {
                    exec(
                            session,
                            "SET SESSION binlog_row_image = " + image,
                            "UPDATE " + db + ".t SET id = 1, n = 3, body = 'changed' WHERE id = 1");
                }
                SluiceException e = assertInstanceOf(SluiceException.class, pipeline.awaitFailure(WAIT));
                assertEquals(ExitCode.DATA, e.exitCode(), e.getMessage());
                assertTrue(e.getMessage().contains("binlog_row_image must be FULL"), e.getMessage());
                assertEquals(
                        1, topics.drain(Duration.ofMillis(500)).size(), "nothing of the partial image is published");
            }
        }
    }
}
