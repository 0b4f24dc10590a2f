package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.Invariants;
import dev.sluice.testkit.Invariants.Expected;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TcpProxy;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.Workload;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * T12: a primary and a GTID replica ({@code log_slave_updates}) started by the test, the pipeline reaching the
 * primary through a proxy that plays the virtual IP. The primary is killed with -9 and the replica promoted; the
 * address moves to it. A replica that has everything the pipeline published is followed by GTID (file names and
 * offsets differ there); a replica missing transactions the pipeline already published is refused, loudly, before
 * anything from it is published.
 */
class FailoverTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    private MariaDbServer primary;
    private MariaDbServer replica;
    private TcpProxy address;
    private Workload workload;

    @BeforeEach
    void primaryWithAReplica() throws Exception {
        primary = TestServers.throwawayMariaDb("primary", MariaDbServer.Options.defaults());
        replica = TestServers.throwawayMariaDb(
                "replica",
                MariaDbServer.Options.defaults()
                        .withServerId(2)
                        .withExtraArgs(java.util.List.of("--log-slave-updates=1")));
        try (Connection c = replica.connect()) {
            exec(
                    c,
                    "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port()
                            + ", MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos",
                    "START SLAVE");
        }
        address = TcpProxy.start(primary.host(), primary.port());
        workload = new Workload(primary, TestServers.uniqueName("fo"), System.nanoTime());
        workload.createTables();
    }

    @AfterEach
    void stopServers() {
        address.close();
        primary.close();
        replica.close();
    }

    @Test
    void thePipelineFollowsTheAddressToThePromotedReplicaByGtid() throws Exception {
        String db = workload.database();
        try (TopicReader topics = reader(db);
                InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings(db)))) {
            workload.runTransactions(50);
            Invariants.awaitFence(workload, topics);
            workload.runTransactions(50); // the pipeline may still be reading these when the primary dies
            awaitReplicated();
            failOver();
            workload.moveTo(replica);
            workload.runTransactions(50);
            Invariants.awaitFence(workload, topics);
            Invariants.assertHold(
                    topics.drain(Duration.ofMillis(500)), Expected.of(workload), Invariants.sourceRows(replica, db));
            assertTrue(pipeline.stats().reconnects() >= 1, "the pipeline reconnected to the promoted replica");
        }
    }

    @Test
    void aPromotedReplicaMissingPublishedTransactionsIsRefused() throws Exception {
        String db = workload.database();
        workload.runTransactions(20);
        awaitReplicated();
        try (Connection c = replica.connect()) {
            exec(c, "STOP SLAVE"); // from here on the replica falls behind what the pipeline publishes
        }
        try (TopicReader topics = reader(db);
                SluiceProcess pipeline = SluiceProcess.run(TestConfigs.writeYaml(
                        settings(db), TestServers.directory("cfg").resolve("sluice.yaml")))) {
            pipeline.awaitOutput("No committed position", BOUND);
            workload.runTransactions(20);
            Invariants.awaitFence(workload, topics);
            String replicaHas;
            primary.kill();
            try (Connection c = replica.connect()) {
                exec(c, "RESET SLAVE ALL");
                replicaHas = scalar(c, "SELECT @@gtid_binlog_pos");
            }
            String divergent = promotedWrite();
            address.retarget(replica.host(), replica.port());
            Invariants.assertLoudFailure(pipeline, 5, BOUND, "diverged", "Refusing to continue", "GTID " + replicaHas);
            assertTrue(
                    topics.drain(Duration.ofMillis(500)).stream().noneMatch(r -> divergent.equals(r.gtid())),
                    "nothing from the divergent server was published");
        }
    }

    private Map<ConfigKey<?>, Object> settings(String db) {
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(primary, db);
        settings.put(ConfigKeys.SOURCE_PORT, address.port());
        settings.put(ConfigKeys.SOURCE_CONNECT_RETRY_SECONDS, 60); // the promotion takes a moment
        return settings;
    }

    private void awaitReplicated() throws SQLException {
        String target;
        try (Connection c = primary.connect()) {
            target = scalar(c, "SELECT @@gtid_binlog_pos");
        }
        try (Connection c = replica.connect()) {
            assertEquals(
                    "0",
                    scalar(c, "SELECT MASTER_GTID_WAIT('" + target + "', 60)"),
                    "the replica caught up with " + target);
        }
    }

    /** Kills the primary, promotes the replica, and moves the address to it. */
    private void failOver() throws SQLException {
        primary.kill();
        try (Connection c = replica.connect()) {
            exec(c, "STOP SLAVE", "RESET SLAVE ALL");
        }
        address.retarget(replica.host(), replica.port());
    }

    private String promotedWrite() throws SQLException {
        try (Connection c = replica.connect()) {
            return transaction(c, "INSERT INTO " + workload.database() + ".fence VALUES (-1, 0, 'divergent')");
        }
    }

    private static TopicReader reader(String db) {
        return new TopicReader(
                TestServers.kafka().bootstrapServers(),
                Pattern.compile(Pattern.quote("t_" + db + "." + db + ".") + ".*"));
    }
}
