package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.bench.PeerComparison.WorkloadRun;
import dev.sluice.testkit.RowChecksum;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonResultTest {
    private static final RowChecksum SOURCE = new RowChecksum(1000, 42);
    private static final WorkloadCheck PASSED = new WorkloadCheck(Representation.SLUICE, List.of());
    private static final GcLog GC = new GcLog("G1", 0, 0, 0, 0, 0);

    private static RunSample run(String system, int round, double seconds) {
        return new RunSample(
                "W1",
                system,
                round,
                round > 1,
                1000,
                seconds,
                seconds / 2,
                Map.of(),
                0,
                GC,
                0,
                0,
                PASSED,
                0,
                system + round,
                1,
                1000 / seconds);
    }

    private static WorkloadRun workload(Workload w, double... sluiceThenDebeziumSeconds) {
        List<RunSample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < sluiceThenDebeziumSeconds.length; i += 2) {
            samples.add(run(PeerComparison.SLUICE, i / 2 + 1, sluiceThenDebeziumSeconds[i]));
            samples.add(run(PeerComparison.DEBEZIUM, i / 2 + 1, sluiceThenDebeziumSeconds[i + 1]));
        }
        return new WorkloadRun(w, null, List.of(SOURCE), List.of(SOURCE), samples);
    }

    private static ComparisonResult result(WorkloadRun... runs) {
        return new ComparisonResult(
                null,
                new PeerComparison.Options(
                        Workload.Size.DEFAULTS,
                        List.of(),
                        3,
                        Path.of("x"),
                        "512m",
                        "2g",
                        Path.of("p"),
                        List.of(),
                        List.of(),
                        Map.of()),
                List.of(runs));
    }

    @Test
    void firstRoundIsNotCountedAndMedianIsOfTheOthers() {
        // Round 1 would make Sluice look 100x faster; rounds 2-4 have Sluice at 1,000, 500, 250 events/s.
        WorkloadRun w = workload(Workload.W1, 0.01, 1, 1, 4, 2, 4, 4, 4);
        assertEquals(500, ComparisonResult.median(w, PeerComparison.SLUICE, RunSample::eventsPerSecond), 1e-9);
        assertEquals(250, ComparisonResult.median(w, PeerComparison.DEBEZIUM, RunSample::eventsPerSecond), 1e-9);
        assertEquals(2.0, ComparisonResult.ratio(w), 1e-9);
    }

    @Test
    void evenNumberOfCountedRoundsAveragesTheMiddleTwo() {
        WorkloadRun w = workload(Workload.W1, 1, 1, 1, 1, 2, 1);
        assertEquals(750, ComparisonResult.median(w, PeerComparison.SLUICE, RunSample::eventsPerSecond), 1e-9);
    }

    @Test
    void geometricMeanOfTheWorkloadRatiosDecidesTheTarget() {
        WorkloadRun fourTimes = workload(Workload.W1, 1, 1, 1, 4);
        WorkloadRun once = workload(Workload.W2, 1, 1, 1, 1);
        ComparisonResult r = result(fourTimes, once);
        assertEquals(2.0, r.geometricMeanRatio(), 1e-9);
        assertTrue(r.targetMet());
        assertTrue(r.checksOk());
        assertFalse(result(once).targetMet());
    }
}
