package dev.sluice.load.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.schema.ColumnDefinition;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class CopyTextTest {
    private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);

    @Test
    void writesEveryKindExactly() {
        assertEquals("18446744073709551615", text("bigint", F.numberNode(new BigInteger("18446744073709551615"))));
        assertEquals(
                "-0.000000000000000000000000000001", text("decimal", F.textNode("-0.000000000000000000000000000001")));
        assertEquals("3.4028235E+38", text("float", F.numberNode(new BigDecimal("3.4028235E38"))));
        assertEquals("t", text("bit", F.booleanNode(true)));
        assertEquals("00000101", value(ColumnDefinition.of("b", "bit", true).withLength(8L), F.numberNode(5)));
        assertEquals("\\x00ff41", text("varbinary", F.textNode("AP9B")));
        assertEquals("-838:59:59.000000", text("time", F.textNode("-838:59:59.000000")));
        assertEquals(
                "{\"wkb\":\"AQ==\",\"srid\":4326}",
                text("point", F.objectNode().put("wkb", "AQ==").put("srid", 4326)));
        assertNull(text("int", F.nullNode()));
    }

    @Test
    void refusesWhatPostgreSqlCannotHold() {
        assertThrows(CopyText.UnrepresentableValueException.class, () -> text("date", F.textNode("0000-00-00")));
        assertThrows(CopyText.UnrepresentableValueException.class, () -> text("date", F.textNode("2023-02-30")));
        assertThrows(
                CopyText.UnrepresentableValueException.class,
                () -> text("datetime", F.textNode("2024-00-15 10:00:00")));
        assertThrows(
                CopyText.UnrepresentableValueException.class,
                () -> text("timestamp", F.textNode("0000-00-00 00:00:00")));
        assertThrows(CopyText.UnrepresentableValueException.class, () -> text("varchar", F.textNode("a\u0000b")));
        assertEquals("2024-02-29", text("date", F.textNode("2024-02-29")));
    }

    /** The per-change check skips the types that always fit: each type that can refuse a value must be checked. */
    @Test
    void checksEveryTypeThatCanRefuseAValue() {
        for (String type : new String[] {"date", "datetime", "timestamp", "varchar", "char", "text", "enum", "json"}) {
            assertTrue(CopyText.mayBeUnrepresentable(ColumnDefinition.of("c", type, true)), type);
        }
        for (String type : new String[] {"int", "bigint", "decimal", "double", "bit", "blob", "time", "uuid", "year"}) {
            assertFalse(CopyText.mayBeUnrepresentable(ColumnDefinition.of("c", type, true)), type);
        }
    }

    @Test
    void escapesForCopy() {
        StringBuilder out = new StringBuilder();
        CopyText.append(out, ColumnDefinition.of("t", "text", true), F.textNode("a\\b\tc\nd\re 🎉"));
        assertEquals("a\\\\b\\tc\\nd\\re 🎉", out.toString());
        out.setLength(0);
        CopyText.append(out, ColumnDefinition.of("t", "text", true), F.nullNode());
        assertEquals("\\N", out.toString());
    }

    private static String text(String type, JsonNode cell) {
        return value(ColumnDefinition.of("c", type, true), cell);
    }

    private static String value(ColumnDefinition column, JsonNode cell) {
        return CopyText.value(column, cell);
    }
}
