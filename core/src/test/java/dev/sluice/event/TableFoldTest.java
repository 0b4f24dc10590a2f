package dev.sluice.event;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.event.TableFold.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fold of a table's change events: last image per key, a delete removes the key, and every event the earlier
 * ones do not explain named by its outcome (while still applied, so the fold ends where the topic says).
 */
class TableFoldTest {
    private final EnvelopeDecoder decoder = new EnvelopeDecoder();
    private final TableFold<RowImage> fold = TableFold.ofImages(List.of("id"));

    @Test
    void insertsUpdatesAndDeletesLeaveTheLastImageOfEachLiveKey() {
        assertEquals(Outcome.APPLIED, fold.apply(insert("{\"id\":1,\"v\":0,\"note\":\"a\"}")));
        assertEquals(Outcome.APPLIED, fold.apply(insert("{\"id\":2,\"v\":0,\"note\":null}")));
        assertEquals(Outcome.APPLIED, fold.apply(insert("{\"id\":3,\"v\":0,\"note\":\"c\"}")));
        assertEquals(
                Outcome.APPLIED,
                fold.apply(update("{\"id\":1,\"v\":0,\"note\":\"a\"}", "{\"id\":1,\"v\":1,\"note\":\"café 🎉\"}")));
        assertEquals(Outcome.APPLIED, fold.apply(delete("{\"id\":2,\"v\":0,\"note\":null}")));
        assertEquals(Outcome.TOMBSTONE, fold.apply(decoder.decode("t", utf8("{\"id\":2}"), null)));
        assertEquals(
                Map.of(key(1), "{\"id\":1,\"v\":1,\"note\":\"café 🎉\"}", key(3), "{\"id\":3,\"v\":0,\"note\":\"c\"}"),
                rows());
        assertEquals(2, fold.size());
        assertEquals(3, fold.keysSeen(), "the deleted key is remembered");
        assertNull(fold.row(key(2)));
    }

    @Test
    void aSnapshotRowSetsItsKeyWhetherOrNotItIsLive() {
        fold.apply(insert("{\"id\":1,\"v\":0}"));
        assertEquals(Outcome.APPLIED, fold.apply(event("r", "null", "{\"id\":1,\"v\":5}")));
        assertEquals(Outcome.APPLIED, fold.apply(event("r", "null", "{\"id\":2,\"v\":0}")));
        assertEquals(Map.of(key(1), "{\"id\":1,\"v\":5}", key(2), "{\"id\":2,\"v\":0}"), rows());
    }

    @Test
    void aBeforeImageThatIsNotTheRowBuiltSoFarIsNamedAndTheUpdateStillApplied() {
        fold.apply(insert("{\"id\":1,\"v\":0}"));
        // v 1 -> 2 arrives while the topic never had v 1: a lost (or reordered) update.
        assertEquals(Outcome.BEFORE_DIFFERS, fold.apply(update("{\"id\":1,\"v\":1}", "{\"id\":1,\"v\":2}")));
        assertEquals(Map.of(key(1), "{\"id\":1,\"v\":2}"), rows());
        assertEquals(Outcome.BEFORE_DIFFERS, fold.apply(delete("{\"id\":1,\"v\":1}")));
        assertEquals(0, fold.size());
    }

    @Test
    void duplicateInsertsChangesOfAbsentKeysAndKeyChangesAreNamed() {
        fold.apply(insert("{\"id\":5,\"v\":0}"));
        assertEquals(Outcome.INSERT_OF_LIVE_KEY, fold.apply(insert("{\"id\":5,\"v\":0}")));
        assertEquals(Outcome.CHANGE_OF_ABSENT_KEY, fold.apply(delete("{\"id\":6,\"v\":0}")));
        assertEquals(Outcome.CHANGE_OF_ABSENT_KEY, fold.apply(update("{\"id\":7,\"v\":0}", "{\"id\":7,\"v\":1}")));
        assertEquals(Outcome.KEY_CHANGED, fold.apply(update("{\"id\":5,\"v\":0}", "{\"id\":8,\"v\":0}")));
        assertEquals(
                Map.of(key(5), "{\"id\":5,\"v\":0}", key(7), "{\"id\":7,\"v\":1}", key(8), "{\"id\":8,\"v\":0}"),
                rows());
        assertFalse(Outcome.KEY_CHANGED.consistent());
        assertTrue(Outcome.TOMBSTONE.consistent());
    }

    @Test
    void anEventWithoutTheImageOrKeyItNeedsIsNotApplied() {
        assertEquals(Outcome.NO_IMAGE, fold.apply(event("u", "null", "{\"id\":1,\"v\":0}")));
        assertEquals(Outcome.NO_IMAGE, fold.apply(event("c", "null", "null")));
        assertEquals(Outcome.NO_IMAGE, fold.apply(insert("{\"v\":0}")));
        assertEquals(Outcome.NO_IMAGE, fold.apply(insert("{\"id\":null,\"v\":0}")));
        assertEquals(Outcome.NO_IMAGE, fold.apply(delete("null")));
        assertEquals(0, fold.keysSeen());
    }

    @Test
    void aCompositeKeyAndAKeptChecksumWork() {
        TableFold<Integer> sums =
                new TableFold<>(List.of("a", "b"), image -> image.toString().hashCode());
        sums.apply(insert("{\"a\":1,\"b\":\"x\",\"v\":0}"));
        sums.apply(insert("{\"a\":1,\"b\":\"y\",\"v\":0}"));
        assertEquals(
                Outcome.APPLIED, sums.apply(update("{\"a\":1,\"b\":\"x\",\"v\":0}", "{\"a\":1,\"b\":\"x\",\"v\":1}")));
        assertEquals(Outcome.BEFORE_DIFFERS, sums.apply(delete("{\"a\":1,\"b\":\"y\",\"v\":9}")));
        assertEquals(1, sums.size());
        assertNotNull(sums.row(List.of(IntNode.valueOf(1), TextNode.valueOf("x"))));
    }

    private Map<List<JsonNode>, String> rows() {
        Map<List<JsonNode>, String> rows = new HashMap<>();
        fold.forEachRow((key, image) -> rows.put(key, image.toString()));
        return rows;
    }

    private static List<JsonNode> key(int id) {
        return List.of(IntNode.valueOf(id));
    }

    private ChangeEvent insert(String after) {
        return event("c", "null", after);
    }

    private ChangeEvent update(String before, String after) {
        return event("u", before, after);
    }

    private ChangeEvent delete(String before) {
        return event("d", before, "null");
    }

    private ChangeEvent event(String op, String before, String after) {
        return decoder.decode(
                "p.db.t",
                null,
                utf8("{\"before\":" + before + ",\"after\":" + after + ",\"source\":{\"db\":\"db\",\"table\":\"t\"},"
                        + "\"op\":\"" + op + "\",\"ts_ms\":1}"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
