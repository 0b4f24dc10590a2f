package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.bench.CommitWatch.Commit;
import dev.sluice.testkit.RowChecksum;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The topic side of the workload check without Kafka: a table rebuilt from change events (last image per key, a
 * delete removes it), its checksum against the same rows' {@link RowChecksum}, and every anomaly it must notice.
 */
class TableRebuildTest {
    private static final List<CheckedColumn> COLUMNS = List.of(
            CheckedColumn.integer("id"),
            CheckedColumn.integer("version"),
            CheckedColumn.text("note"),
            new CheckedColumn("flag", "IF(`flag`, 'true', 'false')", CheckedColumn.Kind.BOOLEAN, true));

    @Test
    void insertsUpdatesAndDeletesRebuildTheLastImageOfEachLiveKey() {
        TableRebuild t = new TableRebuild(COLUMNS);
        t.add(key(1), insert("{\"id\":1,\"version\":0,\"note\":\"a\",\"flag\":true}"));
        t.add(key(2), insert("{\"id\":2,\"version\":0,\"note\":null,\"flag\":false}"));
        t.add(key(3), insert("{\"id\":3,\"version\":0,\"note\":\"c\",\"flag\":false,\"extra\":[1]}"));
        t.add(
                key(1),
                update(
                        "{\"id\":1,\"version\":0,\"note\":\"a\",\"flag\":true}",
                        "{\"id\":1,\"version\":1,\"note\":\"caf\\u00e9 \ud83c\udf89\",\"flag\":true}"));
        t.add(key(2), delete("{\"id\":2,\"version\":0,\"note\":null,\"flag\":false}"));
        TableRebuild.Seen seen = t.result();
        assertEquals(new OpCounts(3, 1, 1), seen.ops());
        assertEquals(3, seen.distinctKeys());
        long expected = RowChecksum.of(new String[] {"1", "1", "café 🎉", "true"})
                + RowChecksum.of(new String[] {"3", "0", "c", "false"});
        assertEquals(new RowChecksum(2, expected), seen.rebuilt());
        assertEquals(0, seen.stateMismatches() + seen.otherRecords() + seen.wrongTypes() + seen.tombstones());
    }

    @Test
    void aColumnMissingFromAnImageCountsAsNullLikeARowWrittenBeforeItsAlter() {
        TableRebuild t = new TableRebuild(COLUMNS);
        t.add(key(1), insert("{\"id\":1,\"version\":0,\"flag\":true}"));
        t.add(
                key(1),
                update(
                        "{\"id\":1,\"version\":0,\"note\":null,\"flag\":true}",
                        "{\"id\":1,\"version\":0,\"note\":\"x\",\"flag\":true}"));
        assertEquals(0, t.result().stateMismatches());
        assertEquals(
                RowChecksum.of(new String[] {"1", "0", "x", "true"}),
                t.result().rebuilt().sum());
    }

    @Test
    void aBeforeImageThatIsNotTheRowBuiltSoFarIsAStateMismatch() {
        TableRebuild t = new TableRebuild(COLUMNS);
        t.add(key(1), insert("{\"id\":1,\"version\":0,\"note\":\"a\",\"flag\":true}"));
        // version 1 -> 2 arrives while the topic never had version 1: a lost (or reordered) update.
        t.add(
                key(1),
                update(
                        "{\"id\":1,\"version\":1,\"note\":\"a\",\"flag\":true}",
                        "{\"id\":1,\"version\":2,\"note\":\"a\",\"flag\":true}"));
        assertEquals(1, t.result().stateMismatches());
    }

    @Test
    void duplicateInsertsAndChangesOfMissingKeysAreStateMismatches() {
        TableRebuild t = new TableRebuild(COLUMNS);
        String row = "{\"id\":5,\"version\":0,\"note\":\"a\",\"flag\":true}";
        t.add(key(5), insert(row));
        t.add(key(5), insert(row));
        t.add(key(6), delete("{\"id\":6,\"version\":0,\"note\":\"a\",\"flag\":true}"));
        t.add(
                key(7),
                update(
                        "{\"id\":7,\"version\":0,\"note\":\"a\",\"flag\":true}",
                        "{\"id\":7,\"version\":1,\"note\":\"a\",\"flag\":true}"));
        t.add(key(5), update(row, "{\"id\":8,\"version\":0,\"note\":\"a\",\"flag\":true}"));
        TableRebuild.Seen seen = t.result();
        assertEquals(4, seen.stateMismatches());
        assertEquals(new OpCounts(2, 2, 1), seen.ops());
    }

    @Test
    void tombstonesOtherOpsMissingImagesForeignKeysAndWrongTypesAreCounted() {
        TableRebuild t = new TableRebuild(COLUMNS);
        t.add(key(1), null);
        t.add(key(1), envelope("r", "null", "{\"id\":1,\"version\":0,\"note\":\"a\",\"flag\":true}"));
        t.add(key(1), envelope("u", "null", "{\"id\":1,\"version\":0,\"note\":\"a\",\"flag\":true}"));
        t.add(key(1), insert("{\"id\":-4,\"version\":0,\"note\":\"a\",\"flag\":true}"));
        t.add(key(1), insert("{\"id\":\"abc\",\"version\":0,\"note\":\"a\",\"flag\":true}"));
        t.add(key(2), insert("{\"id\":2,\"version\":\"0\",\"note\":\"a\",\"flag\":1}"));
        t.add(key(3), insert("{\"id\":3,\"version\":0,\"note\":{\"a\":1},\"flag\":true}"));
        TableRebuild.Seen seen = t.result();
        assertEquals(1, seen.tombstones());
        assertEquals(4, seen.otherRecords());
        assertEquals(3, seen.wrongTypes()); // the string id; the string version and numeric flag; the object
        assertEquals(new OpCounts(2, 0, 0), seen.ops());
    }

    @Test
    void theCheckPassesOnlyWhenEveryComparisonHolds() {
        Backlog.Result backlog = backlog(new OpCounts(2, 1, 1));
        RowChecksum source = new RowChecksum(1, RowChecksum.of(new String[] {"1", "1", "b", "true"}));
        TableRebuild t = new TableRebuild(COLUMNS);
        t.add(key(1), insert("{\"id\":1,\"version\":0,\"note\":\"a\",\"flag\":true}"));
        t.add(key(2), insert("{\"id\":2,\"version\":0,\"note\":\"a\",\"flag\":true}"));
        t.add(
                key(1),
                update(
                        "{\"id\":1,\"version\":0,\"note\":\"a\",\"flag\":true}",
                        "{\"id\":1,\"version\":1,\"note\":\"b\",\"flag\":true}"));
        t.add(key(2), delete("{\"id\":2,\"version\":0,\"note\":\"a\",\"flag\":true}"));
        WorkloadCheck sluice = check(backlog, source, Representation.SLUICE, t.result());
        assertTrue(sluice.ok(), sluice.problems().toString());
        // Debezium writes a tombstone after each delete: the same records without it are one short.
        WorkloadCheck debezium = check(backlog, source, Representation.DEBEZIUM, t.result());
        assertEquals(List.of("bench.kv: 0 tombstones, expected 1"), debezium.problems());
        t.add(key(2), null);
        assertTrue(check(backlog, source, Representation.DEBEZIUM, t.result()).ok());
        // A source that differs in one cell, and a ledger that expected one more update.
        WorkloadCheck other = check(backlog, new RowChecksum(1, source.sum() + 1), Representation.SLUICE, t.result());
        assertFalse(other.ok());
        WorkloadCheck counts = check(backlog(new OpCounts(2, 2, 1)), source, Representation.SLUICE, t.result());
        assertTrue(
                counts.problems().get(0).contains("but the backlog wrote c 2 / u 2 / d 1"),
                counts.problems().toString());
    }

    @Test
    void aLargeTransactionIsAtomicUnlessACommitCoveredOnlyPartOfIt() {
        Backlog.Largest largest = new Backlog.Largest("0-1-7", 1_000);
        Commit before = new Commit(1, 1, 6);
        Commit after = new Commit(3, 3, 7);
        assertTrue(LargeTransaction.of(largest, List.of(before, after)).atomic());
        LargeTransaction atLimit =
                LargeTransaction.of(largest, List.of(before, new Commit(2, 2, 6, "0-1-7", 1_000), after));
        assertTrue(atLimit.atomic());
        assertTrue(atLimit.describe().contains("position inside it after all 1,000 events"), atLimit.describe());
        LargeTransaction split = LargeTransaction.of(
                largest, List.of(before, new Commit(2, 2, 6, "0-1-7", 400), new Commit(2, 2, 6, "0-1-7", 800), after));
        assertFalse(split.atomic());
        assertEquals("SPLIT: 1,000 row changes visible in parts, after [400, 800] events", split.describe());
    }

    private static WorkloadCheck check(
            Backlog.Result backlog, RowChecksum source, Representation r, TableRebuild.Seen seen) {
        return WorkloadCheck.of(backlog, List.of("t.bench.kv"), List.of(source), r, List.of(seen));
    }

    private static Backlog.Result backlog(OpCounts written) {
        BacklogTable table = new BacklogTable("bench", "kv", "CREATE TABLE bench.kv (...)", COLUMNS);
        return new Backlog.Result(
                "test",
                List.of(table),
                List.of(written),
                "0-1-1",
                "0-1-5",
                null,
                2,
                new long[] {2, 3, 4},
                new Backlog.Largest("0-1-2", 2),
                0,
                0);
    }

    private static byte[] key(long id) {
        return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] insert(String after) {
        return envelope("c", "null", after);
    }

    private static byte[] update(String before, String after) {
        return envelope("u", before, after);
    }

    private static byte[] delete(String before) {
        return envelope("d", before, "null");
    }

    private static byte[] envelope(String op, String before, String after) {
        return ("{\"before\":" + before + ",\"after\":" + after + ",\"source\":{\"db\":\"bench\",\"table\":\"kv\"},"
                        + "\"op\":\"" + op + "\",\"ts_ms\":1}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
