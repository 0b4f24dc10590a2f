package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.embedded.MariaDbServer;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.position.BinlogPosition;
import dev.sluice.position.Flavor;
import dev.sluice.position.GtidSet;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * T11 (second half): the captured tables stay idle while other databases churn and the old binlogs are purged.
 * The pipeline commits position-only transactions as the binlog moves on, so its stored position never falls
 * behind the purge and a restart resumes instead of stopping with "position lost".
 */
class IdlePositionTest {
    @Test
    void idleCapturedTablesKeepTheStoredPositionFreshAcrossAPurge() throws Exception {
        try (MariaDbServer server = TestServers.throwawayMariaDb("idle", MariaDbServer.Options.defaults());
                Connection c = server.connect()) {
            String captured = TestServers.uniqueName("idle");
            String busy = TestServers.uniqueName("busy");
            exec(
                    c,
                    "CREATE DATABASE " + captured,
                    "CREATE TABLE " + captured + ".t (id INT PRIMARY KEY)",
                    "CREATE DATABASE " + busy,
                    "CREATE TABLE " + busy + ".t (id INT PRIMARY KEY)");
            var settings = TestConfigs.forDatabase(server, captured);
            String lastBusy;
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
                for (int i = 1; i <= 50; i++) {
                    exec(c, "INSERT INTO " + busy + ".t VALUES (" + i + ")");
                }
                lastBusy = scalar(c, "SELECT @@gtid_binlog_pos");
                awaitCommitted(pipeline, lastBusy);
            }
            // Two rotations: MariaDB keeps a binlog until its checkpoint has moved past it.
            exec(
                    c,
                    "FLUSH BINARY LOGS",
                    "INSERT INTO " + busy + ".t VALUES (1000)",
                    "FLUSH BINARY LOGS",
                    "PURGE BINARY LOGS BEFORE NOW() + INTERVAL 1 DAY");
            assertNotEquals("mysql-bin.000001", scalar(c, "SHOW BINARY LOGS"), "the first binlog was purged");
            try (TopicReader topics = new TopicReader(
                            TestServers.kafka().bootstrapServers(),
                            Pattern.compile(Pattern.quote("t_" + captured + "." + captured + ".t")));
                    InProcessPipeline restarted = InProcessPipeline.start(TestConfigs.build(settings))) {
                String gtid = transaction(c, "INSERT INTO " + captured + ".t VALUES (1)");
                topics.readAllOf(Map.of(gtid, 1), Duration.ofSeconds(60));
            }
        }
    }

    private static void awaitCommitted(InProcessPipeline pipeline, String gtids) throws InterruptedException {
        GtidSet target = GtidSet.parse(Flavor.MARIADB, gtids);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            BinlogPosition committed = pipeline.stats().committed();
            if (committed != null && target.isSubsetOf(committed.gtids())) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the stored position did not reach " + gtids + ": " + committed);
            Thread.sleep(20);
        }
    }
}
