package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.TcpProxy;
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
 * T09: a database link that goes silent (blackholed, no reset) is noticed from missing heartbeats within three
 * heartbeat intervals, dropped and reconnected from the committed position; a reset link is reconnected at once.
 * Either way every transaction is published exactly once.
 */
class LinkFaultTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int HEARTBEAT_SECONDS = 1;

    @Test
    void blackholedAndResetLinksAreDetectedAndReconnectedExactlyOnce() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        try (Connection c = server.connect();
                TcpProxy proxy = TcpProxy.start(server.host(), server.port())) {
            String db = TestServers.uniqueName("l");
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
            var settings = TestConfigs.forDatabase(server, db);
            settings.put(ConfigKeys.SOURCE_PORT, proxy.port());
            settings.put(ConfigKeys.SOURCE_HEARTBEAT_SECONDS, HEARTBEAT_SECONDS);
            settings.put(ConfigKeys.SOURCE_CONNECT_RETRY_SECONDS, 30);
            Map<String, Integer> committed = new LinkedHashMap<>();
            try (TopicReader topics = new TopicReader(
                            TestServers.kafka().bootstrapServers(),
                            Pattern.compile(Pattern.quote("t_" + db + "." + db + ".t")));
                    InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
                write(c, db, 1, 10, committed);
                topics.readAllOf(committed, WAIT);

                // An idle but healthy link keeps receiving heartbeats: four intervals past the stall bound, no
                // reconnect.
                Thread.sleep(Duration.ofSeconds(4L * HEARTBEAT_SECONDS + 1).toMillis());
                assertEquals(0, pipeline.stats().reconnects(), "heartbeats keep an idle link alive");

                long blackholedAt = System.nanoTime();
                proxy.blackhole();
                write(c, db, 11, 20, committed);
                awaitReconnects(pipeline, 1);
                long detectedMs = (System.nanoTime() - blackholedAt) / 1_000_000;
                assertTrue(detectedMs < 15_000, "a silent link is detected within 15 s, took " + detectedMs + " ms");
                proxy.resetAll();
                proxy.heal();
                write(c, db, 21, 30, committed);
                topics.readAllOf(committed, WAIT);

                proxy.resetAll();
                write(c, db, 31, 40, committed);
                awaitReconnects(pipeline, 2);
                topics.readAllOf(committed, WAIT);

                Map<String, Integer> counts = new HashMap<>();
                topics.drain(Duration.ofMillis(300)).forEach(r -> counts.merge(r.gtid(), 1, Integer::sum));
                assertEquals(committed, counts, "every transaction exactly once");
            }
        }
    }

    private static void write(Connection c, String db, int from, int to, Map<String, Integer> committed)
            throws Exception {
        for (int id = from; id <= to; id++) {
            committed.put(transaction(c, "INSERT INTO " + db + ".t VALUES (" + id + ")"), 1);
        }
    }

    private static void awaitReconnects(InProcessPipeline pipeline, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (pipeline.stats().reconnects() < atLeast) {
            assertTrue(
                    System.nanoTime() < deadline, "the pipeline did not reconnect within " + WAIT.toSeconds() + " s");
            Thread.sleep(20);
        }
    }
}
