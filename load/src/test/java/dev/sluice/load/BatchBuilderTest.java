package dev.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.config.ConfigKeys.DeleteMode;
import dev.sluice.config.ConfigKeys.DroppedColumns;
import dev.sluice.config.ConfigKeys.Unrepresentable;
import dev.sluice.config.LoadConfig;
import dev.sluice.event.ChangeEvent;
import dev.sluice.event.Op;
import dev.sluice.event.RowImage;
import dev.sluice.kafka.TopicNames;
import dev.sluice.schema.ColumnDefinition;
import dev.sluice.schema.SchemaVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The batch fold: per key the last change, never an older one over a newer, and the offsets it covers. */
class BatchBuilderTest {
    private static final TopicNames.Table T = new TopicNames.Table("shop", "orders");
    private static final String TOPIC = "p.shop.orders";
    private static final SchemaVersion V1 = schema(1, List.of("id"));
    private final BatchBuilder builder = new BatchBuilder(limits(3, 1_000_000, 1_000));
    private long offset;

    @Test
    void keepsTheLastChangeOfEachKeyAndTheRangeOfOffsets() {
        add(change(Op.CREATE, null, row(1, "a"), 10, 0));
        add(change(Op.UPDATE, row(1, "a"), row(1, "b"), 11, 0));
        add(change(Op.CREATE, null, row(2, "x"), 11, 1));
        add(change(Op.DELETE, row(2, "x"), null, 12, 0));
        Batch batch = builder.take(Map.of(new TopicPartition(TOPIC, 0), 0L));
        assertEquals(4, batch.events());
        assertEquals(new OffsetRange(0, 4), batch.offsets().get(new TopicPartition(TOPIC, 0)));
        assertEquals("1:UPSERT:b@11/0, 2:DELETE:x@12/0", describe(batch));
        assertTrue(builder.isEmpty(), "taking the batch empties the builder");
    }

    @Test
    void aKeyChangeIsADeleteOfTheOldKeyAndAnInsertOfTheNew() {
        add(change(Op.UPDATE, row(1, "a"), row(5, "a"), 20, 0));
        assertEquals("1:DELETE:a@20/0, 5:UPSERT:a@20/0", describe(builder.take(Map.of(partition(), 0L))));
    }

    @Test
    void aKeyDeletedAndInsertedAgainEndsAsTheInsert() {
        add(change(Op.DELETE, row(3, "a"), null, 30, 0));
        add(change(Op.CREATE, null, row(3, "b"), 31, 0));
        assertEquals("3:UPSERT:b@31/0", describe(builder.take(Map.of(partition(), 0L))));
    }

    /** A replayed or late copy older than what the batch holds leaves the fold as it was, as the target would. */
    @Test
    void anOlderChangeNeverReplacesANewerOne() {
        add(change(Op.UPDATE, row(4, "a"), row(4, "new"), 40, 2));
        add(copy(row(4, "old copy"), 39));
        add(change(Op.UPDATE, row(4, "a"), row(4, "replayed"), 40, 2));
        assertEquals("4:UPSERT:new@40/2", describe(builder.take(Map.of(partition(), 0L))));
    }

    @Test
    void aCopyComesAfterEveryChangeOfItsPosition() {
        add(change(Op.UPDATE, row(6, "a"), row(6, "b"), 60, 9));
        add(copy(row(6, "copied"), 60));
        assertEquals("6:UPSERT:copied@60/copy", describe(builder.take(Map.of(partition(), 0L))));
    }

    @Test
    void isDueByEventsOrByTheOldestEventsAge() {
        add(change(Op.CREATE, null, row(1, "a"), 1, 0));
        assertFalse(builder.isDue(0));
        assertTrue(builder.isDue(1_000), "the first event waited load.batch-ms");
        add(change(Op.CREATE, null, row(2, "a"), 1, 1));
        add(change(Op.CREATE, null, row(3, "a"), 1, 2));
        assertTrue(builder.isDue(0), "load.batch-rows events");
    }

    @Test
    void aNewPrimaryKeyCannotJoinTheBatch() {
        add(change(Op.CREATE, null, row(1, "a"), 1, 0));
        SchemaVersion keyedByName = schema(2, List.of("name"));
        ChangeEvent e = change(Op.CREATE, null, row(2, "b"), 2, 0);
        assertFalse(builder.add(T, e, keyedByName, origin(), 10, 0), "apply the batch first");
    }

    /** The target follows a DDL exactly at its position: the rows before it commit with the old version. */
    @Test
    void aNewSchemaVersionOfTheTableStartsANewBatch() {
        add(change(Op.CREATE, null, row(1, "a"), 1, 0));
        ChangeEvent e = change(Op.UPDATE, row(1, "a"), row(1, "b"), 2, 0);
        assertFalse(builder.add(T, e, schema(2, List.of("id")), origin(), 10, 0), "apply the batch first");
        assertEquals("1:UPSERT:a@1/0", describe(builder.take(Map.of(partition(), 0L))));
        assertTrue(builder.add(T, e, schema(2, List.of("id")), origin(), 10, 0), "a batch of version 2 alone");
    }

    private void add(ChangeEvent e) {
        assertTrue(builder.add(T, e, V1, origin(), 100, 0));
    }

    private RowChange.Origin origin() {
        return new RowChange.Origin(TOPIC, 0, offset++);
    }

    private static TopicPartition partition() {
        return new TopicPartition(TOPIC, 0);
    }

    private static String describe(Batch batch) {
        return batch.tables().get(0).changes().stream()
                .map(c -> c.row().get("id") + ":" + c.kind() + ":"
                        + c.row().get("name").asText() + "@" + c.version())
                .collect(Collectors.joining(", "));
    }

    private static ChangeEvent change(Op op, RowImage before, RowImage after, long ordinal, long event) {
        return new ChangeEvent(null, op, before, after, source(false, ordinal, event), 0);
    }

    private static ChangeEvent copy(RowImage after, long ordinal) {
        return new ChangeEvent(null, Op.READ, null, after, source(true, ordinal, 0), 0);
    }

    private static ChangeEvent.Source source(boolean snapshot, long ordinal, long event) {
        return new ChangeEvent.Source(
                "v", "sluice", "p", 0, snapshot, "shop", "orders", 1, "0-1-" + ordinal, "f", 4, 0, event, 1, ordinal);
    }

    private static RowImage row(int id, String name) {
        return RowImage.of(List.of("id", "name"), List.<JsonNode>of(IntNode.valueOf(id), TextNode.valueOf(name)));
    }

    private static SchemaVersion schema(long version, List<String> key) {
        return new SchemaVersion(
                "shop",
                "orders",
                version,
                List.of(ColumnDefinition.of("id", "int", false), ColumnDefinition.of("name", "varchar", false)),
                key,
                new SchemaVersion.AppliesFrom(false, "0-1-1", 0, "f", 4, 0));
    }

    static LoadConfig.Load limits(int rows, int bytes, long ms) {
        return new LoadConfig.Load(
                "l", 1, rows, bytes, Duration.ofMillis(ms), DeleteMode.HARD, DroppedColumns.KEEP, Unrepresentable.STOP);
    }
}
