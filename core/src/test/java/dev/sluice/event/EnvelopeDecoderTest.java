package dev.sluice.event;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.failure.ExitCode;
import dev.sluice.schema.Column;
import dev.sluice.schema.ColumnKind;
import dev.sluice.schema.TableSchema;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder against the encoder (every kind of cell back exactly, with its JSON type) and against records the
 * encoder never writes: null images, tombstones, fields it does not know, Debezium's envelope, and malformed
 * records, which must fail naming the record.
 */
class EnvelopeDecoderTest {
    /** Reads the encoder's bytes as exact trees: the truth the decoded cells are compared with. */
    private static final JsonMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private static final String TOPIC = "p.db.t";

    private final TableSchema table = new TableSchema(
            7,
            "db",
            "t",
            List.of(
                    new Column("id", ColumnKind.INT, 0, false, null, List.of()),
                    new Column("big", ColumnKind.BIGINT, 0, true, null, List.of()),
                    new Column("signed", ColumnKind.BIGINT, 0, false, null, List.of()),
                    new Column("amount", ColumnKind.DECIMAL, 0, false, null, List.of()),
                    new Column("f", ColumnKind.FLOAT, 0, false, null, List.of()),
                    new Column("d", ColumnKind.DOUBLE, 0, false, null, List.of()),
                    new Column("name", ColumnKind.VARCHAR, 0, false, StandardCharsets.UTF_8, List.of()),
                    new Column("bytes", ColumnKind.BLOB, 0, false, null, List.of()),
                    new Column("flag", ColumnKind.BIT, 1, false, null, List.of()),
                    new Column("at", ColumnKind.DATETIME, 6, false, null, List.of()),
                    new Column("shape", ColumnKind.GEOMETRY, 0, false, null, List.of()),
                    new Column("nothing", ColumnKind.VARCHAR, 0, false, StandardCharsets.UTF_8, List.of())),
            new int[] {0});

    private final Serializable[] row = {
        42,
        -1L, // BIGINT UNSIGNED max
        Long.MIN_VALUE,
        new BigDecimal("-12345678901234567890.123456789012345678901234567890"),
        0.1f,
        1e23,
        "quote \" é 🎉".getBytes(StandardCharsets.UTF_8),
        new byte[] {0, (byte) 0xFF, 10},
        bit(true),
        "2024-02-29 23:59:59.999999",
        new byte[] {(byte) 0xE6, 0x10, 0, 0, 1, 2, 3},
        null
    };

    private final EnvelopeEncoder encoder = new EnvelopeEncoder("p");
    private final EnvelopeEncoder.TableEncoding encoding = encoder.prepare(table);
    private final SourceMeta meta = new SourceMeta("0-1-77", "mysql-bin.000003", 4711, 1_700_000_000_000L, 9, 1234);
    private final EnvelopeDecoder decoder = new EnvelopeDecoder();

    @Test
    void everyCellDecodesToExactlyWhatWasEncodedWithItsJsonType() throws Exception {
        byte[] key = encoder.key(encoding, row);
        byte[] value = encoder.value(Op.UPDATE, encoding, row, row, meta, 3, 5, 1_700_000_000_123L);
        ChangeEvent event = decoder.decode(TOPIC, 0, 12, key, value);
        JsonNode written = EXACT.readTree(value);
        for (RowImage image : List.of(event.before(), event.after())) {
            assertEquals(table.columns().stream().map(Column::name).toList(), image.names());
            for (int i = 0; i < image.size(); i++) {
                JsonNode expected = written.get("after").get(image.name(i));
                assertEquals(expected, image.cell(i), image.name(i));
                assertEquals(expected.getNodeType(), image.cell(i).getNodeType(), image.name(i));
            }
        }
        RowImage after = event.after();
        assertEquals(new BigInteger("18446744073709551615"), after.get("big").bigIntegerValue());
        assertTrue(after.get("big").isBigInteger());
        assertTrue(after.get("signed").isLong());
        assertEquals(
                "-12345678901234567890.123456789012345678901234567890",
                after.get("amount").textValue());
        assertEquals(new BigDecimal("0.1"), after.get("f").decimalValue(), "a FLOAT's shortest decimal");
        assertEquals(1e23, after.get("d").doubleValue());
        assertEquals(0, new BigDecimal("1.0E23").compareTo(after.get("d").decimalValue()));
        assertEquals("quote \" é 🎉", after.get("name").textValue());
        assertEquals("AP8K", after.get("bytes").textValue(), "binary as base64");
        assertTrue(after.get("flag").booleanValue());
        assertEquals(4326, after.get("shape").get("srid").intValue());
        assertTrue(after.get("nothing").isNull());
        assertNull(after.get("no such column"));
        assertEquals(RowImage.of(List.of("id"), List.of(EXACT.getNodeFactory().numberNode(42))), event.key());
    }

    @Test
    void aNegativeZeroKeepsItsSign() {
        ChangeEvent event =
                decoder.decode(TOPIC, null, utf8("{\"after\":{\"d\":-0.0,\"z\":0.0,\"e\":-0E3},\"op\":\"c\"}"));
        assertEquals(
                Double.doubleToLongBits(-0.0),
                Double.doubleToLongBits(event.after().get("d").doubleValue()));
        assertEquals(
                Double.doubleToLongBits(0.0),
                Double.doubleToLongBits(event.after().get("z").doubleValue()));
        assertEquals(
                Double.doubleToLongBits(-0.0),
                Double.doubleToLongBits(event.after().get("e").doubleValue()));
    }

    @Test
    void theSourceBlockAndTheTimesDecode() {
        ChangeEvent event = decoder.decode(
                TOPIC, encoder.key(encoding, row), encoder.value(Op.DELETE, encoding, row, null, meta, 3, 5, 99));
        assertEquals(Op.DELETE, event.op());
        assertNull(event.after());
        assertEquals(99, event.tsMs());
        assertEquals(
                new ChangeEvent.Source(
                        EnvelopeEncoder.VERSION,
                        "sluice",
                        "p",
                        1_700_000_000_000L,
                        false,
                        "db",
                        "t",
                        9,
                        "0-1-77",
                        "mysql-bin.000003",
                        4711,
                        3,
                        5,
                        -1,
                        1234),
                event.source());
        ChangeEvent copied = decoder.decode(TOPIC, null, encoder.value(Op.READ, encoding, null, row, meta, 0, 8, 1));
        assertEquals(Op.READ, copied.op());
        assertTrue(copied.source().snapshot());
        assertNull(copied.before());
        assertNull(copied.key(), "a table without a primary key has a null key");
    }

    /** A copied row is encoded before its ordinal is known, then stamped in place when it is published. */
    @Test
    void aCopiedRowsOrdinalIsStampedInPlace() {
        SourceMeta later = new SourceMeta(null, "f", 4, 1000, 9, SourceMeta.ORDINAL_AT_PUBLICATION);
        byte[] value = encoder.value(Op.READ, encoding, null, row, later, 0, 8, 1);
        int length = value.length;
        assertEquals(0, decoder.decode(TOPIC, null, value).source().ordinal(), "a zero placeholder before it");
        EnvelopeEncoder.stampOrdinal(value, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, decoder.decode(TOPIC, null, value).source().ordinal());
        EnvelopeEncoder.stampOrdinal(value, 42);
        ChangeEvent stamped = decoder.decode(TOPIC, null, value);
        assertEquals(42, stamped.source().ordinal());
        assertEquals(length, value.length);
        assertEquals(
                decoder.decode(TOPIC, null, encoder.value(Op.READ, encoding, null, row, meta, 0, 8, 1))
                        .after(),
                stamped.after());
    }

    @Test
    void imagesOfEqualRowsAreEqualAndRepeatedSourceStringsAreShared() {
        byte[] value = encoder.value(Op.CREATE, encoding, null, row, meta, 0, 0, 1);
        ChangeEvent first = decoder.decode(TOPIC, null, value);
        ChangeEvent second = decoder.decode(TOPIC, null, value.clone());
        assertEquals(first, second);
        assertEquals(first.after().hashCode(), second.after().hashCode());
        assertSame(first.source().table(), second.source().table());
        assertSame(first.source().gtid(), second.source().gtid());
    }

    @Test
    void aTombstoneDecodesToAnExplicitTombstoneWithItsKey() {
        ChangeEvent tombstone = decoder.decode(TOPIC, 1, 2, utf8("{\"id\":42}"), null);
        assertTrue(tombstone.isTombstone());
        assertNull(tombstone.op());
        assertNull(tombstone.source());
        assertEquals(42, tombstone.key().get("id").intValue());
        assertTrue(decoder.decode(TOPIC, null, null).isTombstone());
    }

    @Test
    void nullImagesAndNullSourceFieldsDecodeAsNull() {
        ChangeEvent event = decoder.decode(
                TOPIC,
                null,
                utf8("{\"before\":null,\"after\":null,\"source\":{\"gtid\":null,\"pos\":null,\"db\":\"x\"},"
                        + "\"op\":\"u\",\"ts_ms\":null}"));
        assertNull(event.before());
        assertNull(event.after());
        assertNull(event.source().gtid());
        assertEquals(-1, event.source().pos());
        assertEquals(-1, event.source().event(), "absent");
        assertEquals(-1, event.tsMs());
        assertEquals("x", event.source().db());
    }

    @Test
    void fieldsItDoesNotKnowAreSkippedWhereverTheyAre() {
        ChangeEvent event = decoder.decode(
                TOPIC,
                null,
                utf8("{\"schema\":{\"type\":\"struct\",\"fields\":[{\"a\":[1,{\"b\":null}]}]},"
                        + "\"before\":null,\"after\":{\"id\":1,\"doc\":[1,\"two\",{\"x\":1.5}]},"
                        + "\"source\":{\"thread\":7,\"query\":null,\"sequence\":[\"a\"],\"table\":\"t\"},"
                        + "\"transaction\":{\"id\":\"x\",\"total_order\":3},\"op\":\"c\",\"ts_us\":5,\"ts_ms\":6}"));
        assertEquals(Op.CREATE, event.op());
        assertEquals(List.of("id", "doc"), event.after().names());
        assertEquals(
                new BigDecimal("1.5"), event.after().get("doc").get(2).get("x").decimalValue());
        assertEquals("t", event.source().table());
        assertEquals(6, event.tsMs());
    }

    @Test
    void debeziumsEnvelopeDecodes() {
        ChangeEvent event = decoder.decode(
                "dbserver1.inventory.customers",
                utf8("{\"id\":1004}"),
                utf8("{\"before\":null,\"after\":{\"id\":1004,\"first_name\":\"Anne\"},\"source\":{\"version\":"
                        + "\"2.7.0.Final\",\"connector\":\"mysql\",\"name\":\"dbserver1\",\"ts_ms\":0,\"snapshot\":"
                        + "\"last\",\"db\":\"inventory\",\"sequence\":null,\"table\":\"customers\",\"server_id\":0,"
                        + "\"gtid\":null,\"file\":\"mysql-bin.000003\",\"pos\":157,\"row\":0,\"thread\":null,"
                        + "\"query\":null},\"op\":\"r\",\"ts_ms\":1486500577691}"));
        assertEquals(Op.READ, event.op());
        assertTrue(event.source().snapshot(), "\"last\" is a snapshot row");
        assertEquals("mysql", event.source().connector());
        assertEquals(157, event.source().pos());
        assertEquals(-1, event.source().event());
        assertEquals("Anne", event.after().get("first_name").textValue());
    }

    @Test
    void anAlteredLayoutDecodesWithItsOwnNames() {
        decoder.decode(TOPIC, null, utf8("{\"after\":{\"a\":1,\"b\":2},\"op\":\"c\"}"));
        ChangeEvent altered = decoder.decode(TOPIC, null, utf8("{\"after\":{\"a\":1,\"c\":2,\"b\":3},\"op\":\"c\"}"));
        assertEquals(List.of("a", "c", "b"), altered.after().names());
        assertEquals(3, altered.after().get("b").intValue());
        ChangeEvent back = decoder.decode(TOPIC, null, utf8("{\"after\":{\"a\":1,\"b\":2},\"op\":\"c\"}"));
        assertEquals(List.of("a", "b"), back.after().names());
        assertNotEquals(altered.after(), back.after());
    }

    @Test
    void aMalformedRecordFailsNamingTheRecordAndTheProblem() {
        assertMalformed("{\"op\":\"c\"", "not JSON");
        assertMalformed("", "empty");
        assertMalformed("[1]", "an array, not a JSON object");
        assertMalformed("{\"after\":{\"a\":1}}", "no 'op'");
        assertMalformed("{\"op\":\"x\"}", "\"x\", not one of c, u, d, r");
        assertMalformed("{\"op\":1}", "'op' is a number");
        assertMalformed("{\"op\":\"c\",\"after\":\"row\"}", "'after' is a string, not an object or null");
        assertMalformed("{\"op\":\"c\",\"source\":[]}", "'source' is an array");
        assertMalformed("{\"op\":\"c\",\"source\":{\"pos\":\"4\"}}", "'source.pos' is a string, not an integer");
        assertMalformed("{\"op\":\"c\",\"source\":{\"db\":{}}}", "'source.db' is an object, not a string");
        assertMalformed("{\"op\":\"c\"} {}", "more after its JSON value");
        MalformedEventException key = assertThrows(
                MalformedEventException.class, () -> decoder.decode(TOPIC, 3, 17, utf8("42"), utf8("{\"op\":\"c\"}")));
        assertTrue(key.getMessage().contains("the key is a number"), key.getMessage());
        assertEquals(ExitCode.DATA, key.exitCode());
        MalformedEventException unknown =
                assertThrows(MalformedEventException.class, () -> decoder.decode(TOPIC, null, utf8("nope")));
        assertTrue(unknown.getMessage().startsWith("Cannot decode the record at topic p.db.t: "), unknown.getMessage());
    }

    private void assertMalformed(String value, String problem) {
        MalformedEventException e = assertThrows(
                MalformedEventException.class, () -> decoder.decode(TOPIC, 3, 17, null, utf8(value)), value);
        assertTrue(
                e.getMessage().startsWith("Cannot decode the record at topic p.db.t partition 3 offset 17: "),
                e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    private static BitSet bit(boolean on) {
        BitSet bits = new BitSet(1);
        bits.set(0, on);
        return bits;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
