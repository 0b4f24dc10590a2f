package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PerfLineTest {
    /** Lines as ProducerPerformance 4.3.1 printed them in a run: progress lines first, the summary last. */
    private static final List<String> OUTPUT = List.of(
            "Option --producer-props has been deprecated and will be removed in a future version.",
            "199441 records sent, 39880.2 records/sec (3.80 MB/sec), 1339.6 ms avg latency, 2314.0 ms max latency.",
            "2000000 records sent, 106162.747492 records/sec (10.12 MB/sec), 3513.37 ms avg latency, 5105.00 ms max "
                    + "latency, 3721 ms 50th, 4870 ms 95th, 5040 ms 99th, 5090 ms 99.9th.");

    @Test
    void findsTheSummaryLineNotAProgressLine() {
        PerfLine line = PerfLine.findIn(OUTPUT).orElseThrow();
        assertEquals(2_000_000, line.records());
        assertEquals(106162.747492, line.recordsPerSec(), 1e-9);
        assertEquals(10.12, line.mbPerSec(), 1e-9);
        assertEquals(5105.0, line.maxLatencyMs(), 1e-9);
        assertEquals(5090, line.p999Ms(), 1e-9);
    }

    @Test
    void formatsInKafkasShapeAndParsesBack() {
        PerfLine line = new PerfLine(10, 1234.56, 0.12, 3.456, 9, 2, 5, 7, 9);
        assertEquals(
                "10 records sent, 1234.6 records/sec (0.12 MB/sec), 3.46 ms avg latency, 9.00 ms max latency, "
                        + "2 ms 50th, 5 ms 95th, 7 ms 99th, 9 ms 99.9th.",
                line.format());
        assertEquals(
                line.p99Ms(),
                PerfLine.findIn(List.of(line.format())).orElseThrow().p99Ms(),
                1e-9);
        assertTrue(PerfLine.findIn(OUTPUT.subList(0, 2)).isEmpty());
    }
}
