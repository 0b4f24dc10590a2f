package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.RowChecksum;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pieces of the snapshot bench's checks that need no server: envelope reading, dump rows, CPU. */
class SnapshotCheckTest {
    private static final DrainVerifier.Shape SHAPE =
            new DrainVerifier.Shape("r", List.of("id", "price", "at", "note"), Set.of("id"));

    @Test
    void tallyReadsTheAfterImageOfSnapshotRecords() {
        DrainVerifier.Tally tally = new DrainVerifier.Tally(10, SHAPE);
        tally.add(
                key(1),
                envelope(
                        "r",
                        "{\"id\":1,\"price\":\"12.50\",\"at\":\"2020-01-01 00:00:00.000001\","
                                + "\"note\":\"caf\\u00e9 \ud83c\udf89\",\"extra\":{\"a\":[1,2]}}"));
        tally.add(key(2), envelope("r", "{\"id\":2,\"price\":\"-0.01\",\"at\":null,\"note\":\"x\"}"));
        DrainVerifier.Seen seen = tally.result();
        long expected = RowChecksum.of(new String[] {"1", "12.50", "2020-01-01 00:00:00.000001", "café 🎉"})
                + RowChecksum.of(new String[] {"2", "-0.01", null, "x"});
        assertEquals(new RowChecksum(2, expected), seen.checksum());
        assertEquals(2, seen.distinctIds());
        assertEquals(0, seen.otherOps());
    }

    @Test
    void tallyCountsOtherOpsTombstonesAndDuplicates() {
        DrainVerifier.Tally tally = new DrainVerifier.Tally(10, SHAPE);
        tally.add(key(1), envelope("c", "{\"id\":1,\"price\":\"1.00\",\"at\":null,\"note\":\"x\"}"));
        tally.add(key(2), envelope("r", "{\"id\":2,\"price\":\"1.00\",\"at\":null,\"note\":\"x\"}"));
        tally.add(key(2), envelope("r", "{\"id\":2,\"price\":\"1.00\",\"at\":null,\"note\":\"x\"}"));
        tally.add(key(4), null);
        DrainVerifier.Seen seen = tally.result();
        assertEquals(4, seen.checksum().count());
        assertEquals(1, seen.distinctIds());
        assertEquals(2, seen.otherOps());
    }

    @Test
    void aNumberWrittenAsAStringOrTheReverseIsAWrongType() {
        DrainVerifier.Tally tally = new DrainVerifier.Tally(10, SHAPE);
        tally.add(key(1), envelope("r", "{\"id\":\"1\",\"price\":\"1.00\",\"at\":null,\"note\":\"x\"}"));
        tally.add(key(2), envelope("r", "{\"id\":2,\"price\":1.00,\"at\":null,\"note\":\"x\"}"));
        tally.add(key(3), envelope("r", "{\"id\":3,\"price\":\"1.00\",\"at\":null,\"note\":\"x\"}"));
        DrainVerifier.Seen seen = tally.result();
        assertEquals(2, seen.wrongTypes());
        assertEquals(3, seen.distinctIds());
    }

    @Test
    void anObjectWhereAColumnValueBelongsNeverPassesForNull() {
        DrainVerifier.Tally tally = new DrainVerifier.Tally(10, SHAPE);
        tally.add(key(3), envelope("r", "{\"id\":3,\"price\":\"1.00\",\"at\":{\"x\":1},\"note\":\"x\"}"));
        assertNotEquals(
                RowChecksum.of(new String[] {"3", "1.00", null, "x"}),
                tally.result().checksum().sum());
    }

    @Test
    void dumpRowsAreCountedInBothLayouts() throws Exception {
        String oneLine =
                "-- dump\nINSERT INTO `t` VALUES (1,'a'),(2,'b),('),(3,'c');\nINSERT INTO `t` VALUES (4,'d');\n";
        String rowPerLine = "INSERT INTO `t` VALUES\n(1,'a'),\n(2,'b'),\n(3,'c');\nINSERT INTO `t` VALUES\n(4,'d');\n";
        assertEquals(5, rows(oneLine)); // a value holding "),(" counts once too many: the bench data has none
        assertEquals(4, rows(rowPerLine));
        assertEquals(0, rows("-- empty table\n"));
    }

    @Test
    void childrenCpuIsReadFromFieldsSixteenAndSeventeen() {
        String stat = "7523 (sh (x) y) S 7521 7521 5491 0 -1 4194304 90 22584 0 1 0 0 23 10 20 0 1 0 48098 2654208 400";
        double tick = 1.0 / ProcessStats.clockTicksPerSecond();
        assertEquals(33 * tick, ProcessStats.childrenCpuSecondsOf(stat), 1e-9);
    }

    @Test
    void columnsAreAligned() {
        String table = ReportTable.columns(List.of(
                new String[] {"method", "rows/s"}, new String[] {"dump", "1,000"}, new String[] {"raw SELECT p1", "12"
                }));
        assertEquals(
                "method        | rows/s\n----------------------\ndump          |  1,000\nraw SELECT p1 |     12\n",
                table);
    }

    private static long rows(String dump) throws Exception {
        return MariaDbDump.countRows(new ByteArrayInputStream(dump.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] key(long id) {
        return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] envelope(String op, String after) {
        assertTrue(op.length() == 1);
        return ("{\"before\":null,\"after\":" + after + ",\"source\":{\"snapshot\":\"true\",\"db\":\"bench\"},"
                        + "\"op\":\"" + op + "\",\"ts_ms\":1}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
