package dev.sluice.snapshot;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.embedded.MariaDbServer;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.monitor.PipelineStats.SnapshotStatus;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Waits the snapshot tests share: on a copy's published status, and on a fence behind everything written. */
public final class Copies {
    public static final Duration WAIT = Duration.ofSeconds(120);

    private Copies() {}

    /** Until the copy of {@code table} has finished (done or dropped). */
    public static void awaitCopied(PipelineStats stats, String table) throws InterruptedException {
        await(stats, table, SnapshotStatus::finished, "finish");
    }

    /** Until at least {@code rows} rows of {@code table} are published. */
    public static void awaitRowsCopied(PipelineStats stats, String table, long rows) throws InterruptedException {
        await(stats, table, s -> s.rowsCopied() >= rows, "reach " + rows + " rows");
    }

    private static void await(PipelineStats stats, String table, Predicate<SnapshotStatus> done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SnapshotStatus status = stats.snapshots().get(table);
            if (status != null && done.test(status)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("The copy of " + table + " did not " + what + " within " + WAIT.toSeconds() + " s: " + status);
            }
            Thread.sleep(20); // polling the status the pipeline publishes; it has no other signal
        }
    }

    /**
     * Inserts a row into {@code db.fence}, waits until it is in Kafka, then reads every partition to its end:
     * everything committed before the fence is then read.
     */
    public static List<Rec> awaitFence(MariaDbServer server, TopicReader topics, String db) throws Exception {
        try (Connection c = server.connect()) {
            exec(c, "INSERT INTO " + db + ".fence VALUES (1)");
            String gtid = scalar(c, "SELECT @@last_gtid");
            topics.readUntil(recs -> recs.stream().anyMatch(r -> gtid.equals(r.gtid())), WAIT, "the fence " + gtid);
            return topics.catchUp(WAIT);
        }
    }
}
