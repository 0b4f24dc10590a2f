package dev.sluice.load.postgresql;

import static dev.sluice.config.ConfigKeys.LOAD_WORKERS;
import static dev.sluice.load.postgresql.LoadedWorkload.WAIT;
import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.failure.CrashPoints;
import dev.sluice.load.InProcessLoader;
import dev.sluice.snapshot.Copies;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/**
 * T19: the loader under faults, with a live capture and the seeded workload writing, into a PostgreSQL database of
 * this class. After each: the target equals the source by checksum, and no write ever moved a row's version
 * backwards or wrote a version twice ({@link LoadedWorkload}). The loaders that are killed run in their own JVM
 * ({@code sluice load}); the seed is printed, {@code -Dsluice.test.seed=N} replays the workload and the kill timings.
 */
class LoadFaultTest {
    private static final String LOADING = "from the offsets stored in the target";

    private static TestPostgres target;

    @BeforeAll
    static void targetWithHistory() throws Exception {
        target = TestPostgres.freshDatabase("loadfault");
        LoadedWorkload.recordHistory(target);
    }

    @AfterAll
    static void dropTarget() throws Exception {
        target.close();
    }

    /**
     * The checks can fail: a value changed in the target by hand breaks target = source, and its write (at the same
     * version) counts as a repeated version; a write that lowers a row's version is caught as going backwards.
     */
    @Test
    void theChecksCatchACorruptedTarget() throws Exception {
        try (LoadedWorkload w = LoadedWorkload.start(target, "lcheck")) {
            w.startWriting();
            w.stopWriting();
            try (InProcessLoader loader = InProcessLoader.start(w.loaderConfig("check"))) {
                w.awaitFenceInEveryTable();
            }
            w.assertTargetEqualsSource();
            w.assertNoVersionWentBack();
            try (Connection c = target.connect()) {
                exec(c, "UPDATE " + firstRow(w, "w1", "payload = payload || 'x'"));
                assertThrows(AssertionFailedError.class, w::assertTargetEqualsSource, "a changed value is caught");
                assertCaught(w, "repeated");
                exec(c, "UPDATE " + firstRow(w, "w2", "_sluice_ordinal = _sluice_ordinal - 1"));
                assertCaught(w, "backwards");
            }
        }
    }

    private static String firstRow(LoadedWorkload w, String table, String set) {
        String t = "\"" + w.db + "\"." + table;
        return t + " SET " + set + " WHERE id = (SELECT min(id) FROM " + t + ")";
    }

    private static void assertCaught(LoadedWorkload w, String what) {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, w::assertNoVersionWentBack);
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void loaderKilledNineThreeTimesUnderLoadLosesAndRepeatsNothing() throws Exception {
        killLoop("lkill", 3);
    }

    /** The full T19 loop: ten kills. */
    @Tag("slow")
    @Test
    void loaderKilledNineTenTimesUnderLoadLosesAndRepeatsNothing() throws Exception {
        killLoop("lkill10", 10);
    }

    /**
     * The loader halts at a named point of a batch's target transaction — before the offsets are claimed, with rows
     * and offsets written but not committed, just after the commit — and a restart continues from what the target
     * committed: nothing lost, nothing written twice.
     */
    @ParameterizedTest(name = "halt at {0}")
    @ValueSource(
            strings = {CrashPoints.LOAD_BEFORE_CLAIM, CrashPoints.LOAD_BEFORE_COMMIT, CrashPoints.LOAD_AFTER_COMMIT})
    void haltAtANamedPointThenRestartLosesAndRepeatsNothing(String point) throws Exception {
        try (LoadedWorkload w = LoadedWorkload.start(target, "lhalt")) {
            Path yaml = w.loaderYaml(w.loaderSettings("halt"));
            w.startWriting();
            try (SluiceProcess halted = SluiceProcess.load(yaml, "-Dsluice.crash.at=" + point + ":4")) {
                assertEquals(99, halted.awaitExit(WAIT), "halted at " + point + ":\n" + halted.output());
                assertTrue(halted.output().contains("CRASH POINT " + point), halted.output());
            }
            try (SluiceProcess restarted = SluiceProcess.load(yaml)) {
                w.stopWriting();
                w.awaitFenceInEveryTable();
                assertTrue(restarted.isAlive(), restarted.output());
            }
            w.assertTargetEqualsSource();
            w.assertNoVersionWentBack();
        }
    }

    /**
     * Two loaders share the partitions (one consumer group); one halts between writing a batch and committing it, as
     * kill -9 would, holding partitions the other has never loaded. The survivor takes them over once the group
     * drops the dead member, from the offsets the target holds; the half-written batch is gone with its transaction.
     */
    @Test
    void twoLoadersInOneGroupOneHaltedMidBatchTheOtherTakesOver() throws Exception {
        try (LoadedWorkload w = LoadedWorkload.start(target, "lpair")) {
            Map<ConfigKey<?>, Object> settings = w.loaderSettings("pair");
            settings.put(LOAD_WORKERS, 1);
            Path yaml = w.loaderYaml(settings);
            w.startWriting();
            try (SluiceProcess survivor = SluiceProcess.load(yaml)) {
                survivor.awaitOutput(LOADING, WAIT);
                try (SluiceProcess victim =
                        SluiceProcess.load(yaml, "-Dsluice.crash.at=" + CrashPoints.LOAD_BEFORE_COMMIT + ":3")) {
                    assertEquals(99, victim.awaitExit(WAIT), "halted mid-batch:\n" + victim.output());
                    assertTrue(victim.output().contains("CRASH POINT " + CrashPoints.LOAD_BEFORE_COMMIT));
                }
                w.stopWriting();
                w.awaitFenceInEveryTable();
                assertTrue(survivor.isAlive(), survivor.output());
            }
            w.assertTargetEqualsSource();
            w.assertNoVersionWentBack();
        }
    }

    /**
     * A loaded target read again from offset 0 (its _sluice_offsets rows deleted) while the workload writes on:
     * every change shown again is refused by the row's version; only the new changes write.
     */
    @Test
    void fullReplayFromOffsetZeroIntoALoadedTargetChangesNothing() throws Exception {
        try (LoadedWorkload w = LoadedWorkload.start(target, "lreplay")) {
            w.startWriting();
            long loadedEvents;
            try (InProcessLoader first = InProcessLoader.start(w.loaderConfig("first"))) {
                w.awaitFence();
                w.awaitFence();
                loadedEvents = first.stats().events();
            }
            try (Connection c = target.connect()) {
                exec(c, "DELETE FROM _sluice_offsets WHERE topic LIKE 't\\_" + w.db + ".%'");
            }
            try (InProcessLoader replay = InProcessLoader.start(w.loaderConfig("replay"))) {
                w.awaitFence();
                w.stopWriting();
                w.awaitFenceInEveryTable();
                assertTrue(
                        replay.stats().events() > loadedEvents,
                        "the replay read everything again: " + replay.stats().events() + " events, the first "
                                + "loader " + loadedEvents);
            }
            w.assertTargetEqualsSource();
            w.assertNoVersionWentBack();
        }
    }

    /**
     * {@code sluice snapshot --table} of a loaded table while the workload writes: the copied rows (op r) go through
     * the same guard, so each is written only where it is newer, and the target still equals the source.
     */
    @Test
    void reSnapshotOfALoadedTableLeavesTargetEqualToSource() throws Exception {
        try (LoadedWorkload w = LoadedWorkload.start(target, "lsnap")) {
            w.startWriting();
            try (InProcessLoader loader = InProcessLoader.start(w.loaderConfig("snap"))) {
                w.awaitFence();
                long before = w.historyRows();
                Path requestOutput = w.captureYaml().resolveSibling("snapshot-request.out");
                try (SluiceProcess request = SluiceProcess.start(
                        List.of("snapshot", "--config", w.captureYaml().toString(), "--table", w.db + ".w1"),
                        requestOutput)) {
                    assertEquals(0, request.awaitExit(WAIT), request.output());
                }
                Copies.awaitCopied(w.pipeline().stats(), w.db + ".w1");
                w.stopWriting();
                w.awaitFenceInEveryTable();
                assertTrue(w.historyRows() > before, "the loader wrote after the copy");
            }
            w.assertTargetEqualsSource();
            w.assertNoVersionWentBack();
        }
    }

    /** The loader (its own JVM) killed -9 at a random moment after it took its partitions, {@code kills} times. */
    private static void killLoop(String name, int kills) throws Exception {
        long seed = Long.getLong("sluice.test.seed", System.nanoTime());
        System.out.println(name + " kill seed " + seed);
        Random random = new Random(seed);
        try (LoadedWorkload w = LoadedWorkload.start(target, name)) {
            Path yaml = w.loaderYaml(w.loaderSettings("kill"));
            w.startWriting();
            for (int kill = 0; kill < kills; kill++) {
                try (SluiceProcess loader = SluiceProcess.load(yaml)) {
                    long written = w.historyRows();
                    loader.awaitOutput(LOADING, WAIT);
                    w.awaitHistoryBeyond(written); // this loader is applying batches: kill it while it does
                    Thread.sleep(random.nextInt(2_000)); // the fault's timing, not a wait for a result
                    loader.kill9();
                }
            }
            try (SluiceProcess last = SluiceProcess.load(yaml)) {
                w.stopWriting();
                w.awaitFenceInEveryTable();
                assertTrue(last.isAlive(), last.output());
            }
            w.assertTargetEqualsSource();
            w.assertNoVersionWentBack();
            System.out.println(name + ": " + w.workload.committed().size() + " transactions, " + w.historyRows()
                    + " row writes checked");
        }
    }
}
