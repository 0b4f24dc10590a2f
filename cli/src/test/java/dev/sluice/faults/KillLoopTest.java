package dev.sluice.faults;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.embedded.MariaDbServer;
import dev.sluice.testkit.Invariants;
import dev.sluice.testkit.Invariants.Expected;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * T02: while the seeded workload commits transactions of 1–50 changes over three tables without pause, the pipeline
 * (its own JVM) is killed with -9 at a random moment after it started streaming, ten times, and restarted each
 * time. Afterwards a fence row must arrive (I7) and the output must satisfy I1–I6. Long: runs with
 * {@code mvn -Pslow verify}. The seed is printed; {@code -Dsluice.test.seed=N} replays the same kill timings and
 * transactions.
 */
@Tag("slow")
class KillLoopTest {
    private static final int KILLS = 10;
    private static final Duration START = Duration.ofSeconds(60);

    @Test
    void tenKillsAtRandomMomentsUnderLoadAreExactlyOnce() throws Exception {
        long seed = Long.getLong("sluice.test.seed", System.nanoTime());
        System.out.println("KillLoopTest seed " + seed);
        Random random = new Random(seed);
        MariaDbServer server = TestServers.mariadb114();
        Workload workload = new Workload(server, TestServers.uniqueName("k"), random.nextLong());
        workload.createTables();
        String db = workload.database();
        Path config = TestConfigs.writeYaml(
                TestConfigs.forDatabase(server, db),
                TestServers.directory("cfg").resolve("sluice.yaml"));
        Thread writing = new Thread(workload, "kill-loop-workload");
        try (TopicReader topics = new TopicReader(
                TestServers.kafka().bootstrapServers(),
                Pattern.compile(Pattern.quote("t_" + db + "." + db + ".") + ".*"))) {
            for (int kill = 0; kill < KILLS; kill++) {
                try (SluiceProcess p = SluiceProcess.run(config)) {
                    p.awaitOutput(kill == 0 ? "No committed position" : "Resuming pipeline", START);
                    if (kill == 0) {
                        writing.start();
                    }
                    Thread.sleep(random.nextInt(3_000)); // the fault's timing, not a wait for a result
                    p.kill9();
                }
            }
            try (SluiceProcess last = SluiceProcess.run(config)) {
                workload.stop();
                writing.join();
                assertNull(workload.failure(), "the workload ran without errors");
                Invariants.awaitFence(workload, topics);
                var output = topics.drain(Duration.ofMillis(500));
                Invariants.assertHold(output, Expected.of(workload), Invariants.sourceRows(server, db));
                System.out.println("KillLoopTest: " + workload.committed().size() + " transactions, " + output.size()
                        + " records checked");
            }
        }
    }
}
