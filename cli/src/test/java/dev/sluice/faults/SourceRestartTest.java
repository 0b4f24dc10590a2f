package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbBinaries;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * T08: the source is killed with -9 mid-stream and restarted on the same data directory and port. The pipeline
 * reconnects by GTID and publishes every committed transaction exactly once; a transaction that was open at the
 * kill, which the server rolls back on recovery, is never published.
 */
class SourceRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void killedAndRestartedSourceIsFollowedByGtidAndRolledBackWorkNeverAppears() throws Exception {
        MariaDbServer server = TestServers.throwawayMariaDb("restart", MariaDbServer.Options.defaults());
        MariaDbBinaries binaries = server.binaries();
        String db = TestServers.uniqueName("r");
        Map<String, Integer> committed = new LinkedHashMap<>();
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        }
        var settings = TestConfigs.forDatabase(server, db);
        settings.put(ConfigKeys.SOURCE_HEARTBEAT_SECONDS, 1);
        settings.put(ConfigKeys.SOURCE_CONNECT_RETRY_SECONDS, 60);
        try (TopicReader topics = new TopicReader(
                        TestServers.kafka().bootstrapServers(),
                        Pattern.compile(Pattern.quote("t_" + db + "." + db + ".t")));
                InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
            try (Connection c = server.connect();
                    Connection open = server.connect()) {
                write(c, db, 1, 20, committed);
                topics.readAllOf(committed, WAIT);
                open.setAutoCommit(false);
                exec(open, "INSERT INTO " + db + ".t VALUES (1000), (1001)");
                server.kill();
            }
            server = MariaDbServer.start(
                    binaries,
                    server.dataDir(),
                    server.port(),
                    MariaDbServer.Options.defaults().withTimeZone(TestServers.SERVER_TIME_ZONE));
            try (Connection c = server.connect()) {
                assertEquals(
                        "0",
                        dev.sluice.testkit.Sql.scalar(c, "SELECT COUNT(*) FROM " + db + ".t WHERE id >= 1000"),
                        "the server rolled the open transaction back");
                write(c, db, 21, 40, committed);
            }
            topics.readAllOf(committed, WAIT);
            assertTrue(pipeline.stats().reconnects() >= 1, "the pipeline reconnected");
            Map<String, Integer> counts = new HashMap<>();
            topics.drain(Duration.ofMillis(300)).forEach(r -> {
                assertTrue(r.after().get("id").asInt() < 1000, "rolled-back row published: " + r.value());
                counts.merge(r.gtid(), 1, Integer::sum);
            });
            assertEquals(committed, counts, "every committed transaction exactly once");
        } finally {
            server.stop();
        }
    }

    private static void write(Connection c, String db, int from, int to, Map<String, Integer> committed)
            throws Exception {
        for (int id = from; id <= to; id++) {
            committed.put(transaction(c, "INSERT INTO " + db + ".t VALUES (" + id + ")"), 1);
        }
    }
}
