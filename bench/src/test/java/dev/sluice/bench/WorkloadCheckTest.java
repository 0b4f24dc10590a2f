package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.kafka.TopicNames;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The workload check on real servers: each kind of backlog the benches generate — W2's large transaction (here split
 * by a small pipeline.max-transaction-events), W3's typed columns, W4's updates and deletes, W6's 100 tables, W7's
 * ALTER halfway — written by its generator into a server of its own, drained by a real pipeline (in this JVM), and
 * its topics rebuilt: the SQL checksum of the source and the Java checksum of Sluice's JSON must agree, as must the
 * counts per op. Then one source row is removed behind the pipeline's back (sql_log_bin=0) and the same check must
 * fail. A few seconds per workload.
 */
class WorkloadCheckTest {
    private static final Workload.Size SMALL = new Workload.Size(2_000, 2_500, 0);
    private static final int MAX_TRANSACTION_EVENTS = 1_000;

    @ParameterizedTest
    @EnumSource(names = {"W2", "W3", "W4", "W6", "W7"})
    void sluicesTopicsRebuildToTheSourceTablesAndADifferentSourceFails(Workload workload) throws Exception {
        MariaDbServer server = TestServers.throwawayMariaDb(
                "workload-" + workload.name().toLowerCase(Locale.ROOT), MariaDbServer.Options.defaults());
        String prefix = "wl_" + workload.name().toLowerCase(Locale.ROOT) + "_"
                + ThreadLocalRandom.current().nextInt(1_000_000);
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, "bench");
        settings.put(ConfigKeys.KAFKA_TOPIC_PREFIX, prefix);
        settings.put(ConfigKeys.PIPELINE_NAME, prefix);
        settings.put(ConfigKeys.PIPELINE_MAX_TRANSACTION_EVENTS, (long) MAX_TRANSACTION_EVENTS);
        String kafka = TestServers.kafka().bootstrapServers();
        try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
            Backlog.Result backlog = Backlog.write(server, workload.generator(SMALL));
            List<CommitWatch.Commit> commits;
            try (CommitWatch watch = new CommitWatch(kafka, new TopicNames(prefix).positions(), prefix)) {
                watch.awaitGtid(backlog.lastGtid(), Duration.ofSeconds(120), () -> pipeline.failureSoFar() == null);
                commits = watch.commits();
            }
            List<String> topics = PipelineBench.tableTopics(prefix, backlog);
            WorkloadCheck check = WorkloadCheck.read(
                    kafka,
                    topics,
                    backlog,
                    WorkloadCheck.sourceChecksums(server, backlog.tables(), Representation.SLUICE),
                    Representation.SLUICE);
            assertTrue(check.ok(), check.problems().toString());
            assertEquals(backlog.writtenTotal(), check.seenOps());
            workloadSpecific(workload, backlog, commits, kafka, topics, server);

            removeOneSourceRowUnlogged(server, backlog.tables().get(0));
            WorkloadCheck differs = WorkloadCheck.read(
                    kafka,
                    topics,
                    backlog,
                    WorkloadCheck.sourceChecksums(server, backlog.tables(), Representation.SLUICE),
                    Representation.SLUICE);
            assertFalse(differs.ok());
            assertTrue(
                    differs.problems()
                            .get(0)
                            .startsWith(backlog.tables().get(0).qualifiedName() + ": rebuilt from the topic"),
                    differs.problems().toString());
        } finally {
            server.stop();
        }
    }

    private static void workloadSpecific(
            Workload workload,
            Backlog.Result backlog,
            List<CommitWatch.Commit> commits,
            String kafka,
            List<String> topics,
            MariaDbServer server)
            throws Exception {
        switch (workload) {
            case W2 -> {
                // 2,500 rows with pipeline.max-transaction-events 1,000: visible in parts after 1,000 and 2,000.
                LargeTransaction large = LargeTransaction.of(backlog.largest(), commits);
                assertEquals(2_500, large.rowChanges());
                assertFalse(large.atomic());
                assertEquals(List.of(1_000L, 2_000L), large.partialCommits());
            }
            case W3 -> {
                // The columns Debezium is compared on agree between SQL and JSON too (Sluice writes them alike).
                WorkloadCheck subset = WorkloadCheck.read(
                        kafka,
                        topics,
                        backlog,
                        WorkloadCheck.sourceChecksums(server, backlog.tables(), Representation.DEBEZIUM),
                        Representation.DEBEZIUM);
                assertTrue(subset.ok(), subset.problems().toString());
                assertTrue(LargeTransaction.of(backlog.largest(), commits).atomic());
            }
            case W4 ->
                assertTrue(backlog.writtenTotal().updates() > 0
                        && backlog.writtenTotal().deletes() > 0);
            case W6 -> assertEquals(100, topics.size());
            case W7 -> assertEquals(3, backlog.tables().get(0).columns().size());
            default -> throw new IllegalArgumentException(workload.name());
        }
    }

    private static void removeOneSourceRowUnlogged(MariaDbServer server, BacklogTable table) throws Exception {
        try (Connection c = server.connect();
                Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_log_bin = 0");
            st.execute("DELETE FROM " + table.qualifiedName() + " ORDER BY id LIMIT 1");
        }
    }
}
