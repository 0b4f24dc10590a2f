package dev.sluice.monitor;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.monitor.PipelineStats.PositionFile;
import dev.sluice.source.BinlogRetention;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The purge estimate against MariaDB's rule: a closed file goes at the first rotation after mtime + retention. */
class PurgeEstimateTest {
    private static final long HOUR = 3_600;
    private static final long T = 1_764_000_000_000L; // a binlog timestamp (server clock, ms)
    private static final List<String> FILES = List.of("mysql-bin.000007", "mysql-bin.000008", "mysql-bin.000009");
    private final BinlogRetention hour = new BinlogRetention(FILES, HOUR, 0, 0);

    @Test
    void neverPurgingSourceIsInfinite() {
        BinlogRetention never = new BinlogRetention(FILES, 0, 0, 0);
        assertEquals(Double.POSITIVE_INFINITY, estimate(new PositionFile("mysql-bin.000007", T, true), never, T));
        assertEquals(Double.POSITIVE_INFINITY, estimate(null, never, T));
    }

    @Test
    void fileBeingWrittenHasAtLeastTheWholeRetention() {
        // However old its last event: the file must be closed before its age counts.
        assertEquals(HOUR, estimate(new PositionFile("mysql-bin.000009", T, false), hour, T + 5 * HOUR * 1000));
        // Written after the last refresh of the file list: also the newest file.
        assertEquals(HOUR, estimate(new PositionFile("mysql-bin.000010", 0, false), hour, T));
    }

    @Test
    void closedFileCountsFromItsLastEvent() {
        assertEquals(HOUR - 100, estimate(new PositionFile("mysql-bin.000008", T, true), hour, T + 100_000));
        assertEquals(0, estimate(new PositionFile("mysql-bin.000008", T, true), hour, T + 2 * HOUR * 1000));
        // Binlog times are the server's: a server clock 10 s ahead leaves 10 s less.
        BinlogRetention ahead = new BinlogRetention(FILES, HOUR, 10_000, 0);
        assertEquals(HOUR - 110, estimate(new PositionFile("mysql-bin.000008", T, true), ahead, T + 100_000));
        // Closed by a rotation the last refresh of the file list has not seen yet.
        assertEquals(HOUR - 1, estimate(new PositionFile("mysql-bin.000009", T, true), hour, T + 1_000));
    }

    @Test
    void backlogInAnOlderFileUsesTheNewestEventReadSoFar() {
        assertEquals(HOUR - 60, estimate(new PositionFile("mysql-bin.000007", T, false), hour, T + 60_000));
        assertTrue(
                PurgeEstimate.secondsUntilPurge(new PositionFile("mysql-bin.000007", 0, false), hour, T)
                        .isEmpty(),
                "nothing read from it yet: unknown, not made up");
    }

    @Test
    void purgedFileIsZero() {
        assertEquals(0, estimate(new PositionFile("mysql-bin.000006", T, false), hour, T));
    }

    @Test
    void unknownPositionIsLeftOut() {
        assertTrue(PurgeEstimate.secondsUntilPurge(null, hour, T).isEmpty());
    }

    @Test
    void fileSequenceIsComparedAsANumber() {
        assertTrue(PurgeEstimate.isOlder("mysql-bin.999999", "mysql-bin.1000000"));
        assertFalse(PurgeEstimate.isOlder("mysql-bin.1000000", "mysql-bin.999999"));
        assertFalse(PurgeEstimate.isOlder("mysql-bin.000009", "mysql-bin.000009"));
    }

    private static double estimate(PositionFile position, BinlogRetention retention, long nowMs) {
        OptionalDouble v = PurgeEstimate.secondsUntilPurge(position, retention, nowMs);
        assertTrue(v.isPresent());
        return v.getAsDouble();
    }
}
