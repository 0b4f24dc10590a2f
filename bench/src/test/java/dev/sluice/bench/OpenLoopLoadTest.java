package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The latency run's schedule arithmetic and key parsing, which every latency figure depends on. */
class OpenLoopLoadTest {
    @Test
    void lowRatesWriteOneRowPerTransactionAndHighRatesGroupRows() {
        OpenLoopLoad.Schedule slow = OpenLoopLoad.Schedule.of(1_500, 20, 2_000, 1);
        assertEquals(1, slow.rowsPerTransaction());
        assertEquals(30_000, slow.transactions());
        assertEquals(666_667, slow.intervalNanos(), "1,500 transactions per second are 666.7 us apart");

        OpenLoopLoad.Schedule fast = OpenLoopLoad.Schedule.of(10_000, 20, 2_000, 1);
        assertEquals(5, fast.rowsPerTransaction());
        assertEquals(40_000, fast.transactions());
        assertEquals(500_000, fast.intervalNanos(), "2,000 transactions of 5 rows per second");
        assertEquals(200_000, fast.rows());

        OpenLoopLoad.Schedule odd = OpenLoopLoad.Schedule.of(31_289, 10, 2_000, 1);
        assertEquals(16, odd.rowsPerTransaction());
        assertEquals(31_289, odd.rowsPerTransaction() * 1e9 / odd.intervalNanos(), 1.0);
    }

    @Test
    void rowIdsMapToTheirTransactionAndNothingElseDoes() {
        OpenLoopLoad.Schedule s = new OpenLoopLoad.Schedule(10_000, 5, 100, 1_001);
        assertEquals(0, s.transactionOf(1_001));
        assertEquals(0, s.transactionOf(1_005));
        assertEquals(1, s.transactionOf(1_006));
        assertEquals(99, s.transactionOf(1_500));
        assertEquals(-1, s.transactionOf(1_501), "past the last row");
        assertEquals(-1, s.transactionOf(1_000), "before the first row");
        assertEquals(-1, s.transactionOf(-3), "a marker row");
    }

    @Test
    void keyIdReadsSluicesJsonKey() {
        assertEquals(42, ArrivalRecorder.keyId("{\"id\":42}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(9_000_000_123L, ArrivalRecorder.keyId("{\"id\":9000000123}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-1, ArrivalRecorder.keyId("{\"id\":-1}".getBytes(StandardCharsets.UTF_8)), "markers are foreign");
        assertEquals(-1, ArrivalRecorder.keyId(null));
        assertEquals(-1, ArrivalRecorder.keyId("null".getBytes(StandardCharsets.UTF_8)));
    }
}
