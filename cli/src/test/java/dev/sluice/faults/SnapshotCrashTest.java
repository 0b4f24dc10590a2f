package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.snapshot.Copies;
import dev.sluice.snapshot.CopyCheck;
import dev.sluice.snapshot.TableWriter;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * T13: a 500,000-row table copied while a writer inserts, updates, deletes and changes primary keys, with the
 * pipeline killed -9 in the middle of the copy. After the restart the copy resumes at the first unpublished chunk
 * (no key is copied twice), and the table rebuilt from the topic equals the source. The writer is never made to
 * wait for a lock by the copy (InnoDB's row lock wait counter does not move).
 */
class SnapshotCrashTest {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int ROWS = 500_000;
    private final MariaDbServer server = TestServers.mariadb114();

    @Test
    void killedMidCopyResumesAtTheNextChunkAndTheTopicEqualsTheSource() throws Exception {
        String db = TestServers.uniqueName("t13");
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".fence (id INT PRIMARY KEY)");
            TableWriter.createAndFill(c, db + ".big", ROWS);
        }
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
        settings.put(ConfigKeys.SNAPSHOT_MODE, "initial");
        settings.put(ConfigKeys.SNAPSHOT_CHUNK_SIZE, 5_000);
        // Slow enough that the kill lands mid-copy: the second progress line comes 5 s after the first.
        settings.put(ConfigKeys.SNAPSHOT_MAX_ROWS_PER_SECOND, 40_000);
        Path config = TestConfigs.writeYaml(
                settings, TestServers.directory("cfg-" + db).resolve("sluice.yaml"));
        TableWriter writer = new TableWriter(server, db + ".big", ROWS, 1313);
        Thread writing = new Thread(writer, "table-writer");
        long lockWaitsBefore = rowLockWaits();
        try (TopicReader topics = new TopicReader(
                TestServers.kafka().bootstrapServers(), Pattern.compile("t_" + Pattern.quote(db) + "\\..*"))) {
            writing.start();
            while (writer.statements() < 2_000 && writer.failure() == null) {
                Thread.sleep(20); // the baseline phase: the writer alone, before any copy
            }
            org.HdrHistogram.Histogram alone = writer.latencySinceLastCall();
            try (SluiceProcess first = SluiceProcess.run(config)) {
                first.awaitOccurrences("Snapshot of " + db + ".big: ", 2, WAIT);
                first.kill9();
            }
            try (SluiceProcess second = SluiceProcess.run(config)) {
                second.awaitOutput("Snapshot of " + db + ".big resumes after chunk", WAIT);
                second.awaitOutput("Snapshot of " + db + ".big done", WAIT);
                writer.stop();
                writing.join();
                assertNull(writer.failure(), "writer failed");
                List<Rec> records = Copies.awaitFence(server, topics, db);
                CopyCheck check = CopyCheck.of(records, "big");
                assertTrue(
                        check.violations.isEmpty(),
                        String.join("\n", check.violations.subList(0, Math.min(20, check.violations.size()))));
                assertEquals(List.of(), check.differencesFrom(server, db + ".big"));
                long twice =
                        check.copiedPerKey.values().stream().filter(n -> n > 1).count();
                assertEquals(0, twice, "keys copied more than once: the copy restarted instead of resuming");
                assertTrue(check.copied > ROWS * 9L / 10, "copied rows: " + check.copied);
                long lockWaits = rowLockWaits() - lockWaitsBefore;
                org.HdrHistogram.Histogram during = writer.latencySinceLastCall();
                System.out.printf(
                        "T13: copied %d rows; writer statements alone: %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                                + " during the copy and restart: %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms; InnoDB row lock "
                                + "waits %d%n",
                        check.copied,
                        alone.getTotalCount(),
                        ms(alone, 50),
                        ms(alone, 99),
                        alone.getMaxValue() / 1e6,
                        during.getTotalCount(),
                        ms(during, 50),
                        ms(during, 99),
                        during.getMaxValue() / 1e6,
                        lockWaits);
                assertEquals(0, lockWaits, "the copy made a writer wait for a row lock");
                assertTrue(ms(during, 99) <= 100, "writer p99 during the copy " + ms(during, 99) + " ms");
            }
        }
    }

    private static double ms(org.HdrHistogram.Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    private long rowLockWaits() throws Exception {
        try (Connection c = server.connect()) {
            return Long.parseLong(scalar(
                    c,
                    "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                            + "WHERE VARIABLE_NAME = 'INNODB_ROW_LOCK_WAITS'"));
        }
    }
}
