package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.bench.SnapshotSample.Method;
import dev.sluice.testkit.RowChecksum;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotBenchResultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ROWS = 1_000_000;

    @Test
    void mediansLeaveOutTheWarmUpRound() {
        SnapshotBenchResult r = result(true);
        SnapshotBenchResult.Summary sluice1 = r.summary(Method.SLUICE, 1).orElseThrow();
        assertEquals(2, sluice1.runs());
        // counted rounds took 8 s and 12 s: rows/s 125,000 and 83,333; the median of two is their mean
        assertEquals((ROWS / 8.0 + ROWS / 12.0) / 2, sluice1.rowsPerSecond(), 1e-6);
        assertEquals(10.0, sluice1.seconds(), 1e-9);
    }

    @Test
    void ratiosAndSpeedUpComeFromTheMedians() {
        SnapshotBenchResult r = result(true);
        SnapshotBenchResult.Summary sluice2 = r.summary(Method.SLUICE, 2).orElseThrow();
        SnapshotBenchResult.Summary dump = r.summary(Method.DUMP, 1).orElseThrow();
        assertEquals(
                ROWS / 5.0 / dump.rowsPerSecond(), SnapshotBenchResult.ratio(sluice2, r.summary(Method.DUMP, 1)), 1e-9);
        assertEquals((ROWS / 5.0) / ((ROWS / 8.0 + ROWS / 12.0) / 2), r.speedUp(Method.SLUICE, 2), 1e-9);
        assertEquals(2.0, r.speedUp(Method.RAW_SELECT, 2), 1e-9);
        assertTrue(Double.isNaN(r.speedUp(Method.SLUICE, 4)));
    }

    @Test
    void theTableShowsEveryMethodTheSpeedUpAndTheTarget() {
        String table = result(true).table();
        assertTrue(table.contains("mariadb-dump --single-transaction "), table);
        assertTrue(table.contains("sluice snapshot p2"), table);
        assertTrue(table.contains("parallel speed-up, sluice snapshot: p2/p1 = 1.92"), table);
        assertTrue(table.contains("parallel speed-up, raw JDBC SELECT: p2/p1 = 2.00"), table);
        assertTrue(table.contains("target >= 200,000 rows/s: MET from JVM start (best 200,000)"), table);
        assertTrue(table.contains("check: OK, every run"), table);
    }

    @Test
    void oneFailedCheckFailsTheRunEvenInTheWarmUpRound() {
        SnapshotBenchResult r = result(false);
        assertFalse(r.checkOk());
        assertTrue(r.table().contains("check: FAILED"));
        assertFalse(r.toJson().path("table").path("check_ok").asBoolean());
    }

    @Test
    void theJsonHoldsSamplesSummariesAndSpeedUps() {
        ObjectNode json = result(true).toJson();
        assertEquals("snapshot", json.path("benchmark").asText());
        assertEquals(3 * 5, json.path("samples").size());
        assertEquals(5, json.path("summaries").size());
        assertEquals(
                2.0,
                json.path("parallel_speed_up").path("raw_select_p2_over_p1").asDouble(),
                1e-9);
        assertTrue(json.path("target").path("met_from_jvm_start").asBoolean());
        assertTrue(result(true).chart().startsWith("<svg"));
    }

    /** Three rounds of dump, raw p1/p2 and Sluice p1/p2; round 1 is slow and not counted. */
    private static SnapshotBenchResult result(boolean warmUpCheckOk) {
        List<SnapshotSample> samples = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            boolean counted = round > 1;
            double slow = round == 1 ? 3 : 1;
            samples.add(sample(Method.DUMP, 1, round, 4 * slow, true));
            samples.add(sample(Method.RAW_SELECT, 1, round, 2 * slow, true));
            samples.add(sample(Method.RAW_SELECT, 2, round, 1 * slow, true));
            samples.add(
                    sample(Method.SLUICE, 1, round, round == 1 ? 20 : round == 2 ? 8 : 12, round > 1 || warmUpCheckOk));
            samples.add(sample(Method.SLUICE, 2, round, 5 * slow, true));
        }
        ObjectNode manifest = JSON.createObjectNode();
        manifest.putObject("machine").put("cores", 2);
        return new SnapshotBenchResult(
                manifest,
                new SnapshotBench.Options(
                        ROWS, List.of(1, 2), 3, 0, "1G", Path.of("target/x"), "512m", List.of(), false),
                new SnapshotTable.Result(ROWS, 9.5, 230_000_000L, 218),
                new RowChecksum(ROWS, 42),
                samples);
    }

    private static SnapshotSample sample(Method method, int p, int round, double seconds, boolean ok) {
        return new SnapshotSample(
                method,
                p,
                round,
                round > 1,
                ROWS,
                seconds,
                ROWS / (seconds - 0.5),
                300_000_000L,
                seconds / 2,
                1.0,
                0.5,
                0.1,
                -1,
                -1,
                ok,
                ok ? "OK" : "FAIL",
                JSON.createObjectNode());
    }
}
