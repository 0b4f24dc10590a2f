package dev.sluice.schema;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The _schemas record format (version 1): round trips, the documented layout, absent fields stay absent. */
class TableSchemaJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final SchemaVersion ORDERS = new SchemaVersion(
            "shop",
            "orders",
            3,
            List.of(
                    ColumnDefinition.of("id", "bigint", false).withUnsigned(true),
                    ColumnDefinition.of("total", "decimal", false)
                            .withDecimal(65, 30)
                            .withUnsigned(false),
                    ColumnDefinition.of("status", "enum", false)
                            .withLabels(List.of("new", "it's", "é", ""))
                            .withText("utf8mb4", "utf8mb4_uca1400_ai_ci"),
                    ColumnDefinition.of("note", "varchar", true)
                            .withLength(200L)
                            .withText("latin1", "latin1_swedish_ci"),
                    ColumnDefinition.of("raw", "varbinary", true).withLength(16L),
                    ColumnDefinition.of("flags", "bit", true).withLength(64L),
                    ColumnDefinition.of("placed_at", "datetime", false).withFsp(6),
                    ColumnDefinition.of("big", "longblob", true),
                    ColumnDefinition.of("where", "point", true),
                    ColumnDefinition.of("tags", "set", true)
                            .withLabels(List.of())
                            .withText("utf8mb4", "utf8mb4_bin")),
            List.of("id", "placed_at"),
            new SchemaVersion.AppliesFrom(false, "0-1-1240", 7, "mysql-bin.000003", 99120, 1763877670000L));

    @Test
    void everyFieldRoundTrips() {
        assertEquals(ORDERS, TableSchemaJson.read(TableSchemaJson.write(ORDERS)));
        SchemaVersion snapshot = new SchemaVersion(
                "a.b", "t`x", 1, List.of(), List.of(), new SchemaVersion.AppliesFrom(true, null, 4, "f.1", 4, 5));
        assertEquals(snapshot, TableSchemaJson.read(TableSchemaJson.write(snapshot)));
    }

    @Test
    void theRecordIsTheDocumentedLayout() throws Exception {
        JsonNode v = JSON.readTree(TableSchemaJson.write(ORDERS));
        assertEquals(1, v.get("format").asInt());
        assertEquals(3, v.get("version").asLong());
        assertEquals("[\"id\",\"placed_at\"]", v.get("primary_key").toString());
        assertEquals(
                "{\"name\":\"id\",\"type\":\"bigint\",\"unsigned\":true,\"nullable\":false}",
                v.get("columns").get(0).toString());
        assertEquals(
                "{\"name\":\"note\",\"type\":\"varchar\",\"length\":200,\"charset\":\"latin1\","
                        + "\"collation\":\"latin1_swedish_ci\",\"nullable\":true}",
                v.get("columns").get(3).toString());
        assertEquals(
                "{\"name\":\"placed_at\",\"type\":\"datetime\",\"fsp\":6,\"nullable\":false}",
                v.get("columns").get(6).toString());
        assertEquals("[]", v.get("columns").get(9).get("labels").toString(), "an empty SET still lists its labels");
        assertEquals(
                "{\"snapshot\":false,\"gtid\":\"0-1-1240\",\"event\":7,\"file\":\"mysql-bin.000003\",\"pos\":99120,"
                        + "\"ts_ms\":1763877670000}",
                v.get("from").toString());
    }

    @Test
    void fieldsTheSourceDoesNotStateAreLeftOutNotGuessed() throws Exception {
        SchemaVersion unknown = new SchemaVersion(
                "d",
                "t",
                1,
                List.of(ColumnDefinition.of("c", "varchar", true)),
                List.of(),
                new SchemaVersion.AppliesFrom(false, "0-1-1", 0, "f", 4, 0));
        JsonNode c =
                JSON.readTree(TableSchemaJson.write(unknown)).get("columns").get(0);
        assertEquals("{\"name\":\"c\",\"type\":\"varchar\",\"nullable\":true}", c.toString());
        assertNull(TableSchemaJson.read(TableSchemaJson.write(unknown))
                .columns()
                .get(0)
                .length());
    }

    @Test
    void theKeyNamesTableAndVersionSoCompactionKeepsEveryVersion() {
        assertEquals(
                "{\"database\":\"shop\",\"table\":\"orders\",\"version\":3}",
                new String(TableSchemaJson.key("shop", "orders", 3), StandardCharsets.UTF_8));
        assertFalse(java.util.Arrays.equals(
                TableSchemaJson.key("shop", "orders", 3), TableSchemaJson.key("shop", "orders", 4)));
    }

    @Test
    void unknownFieldsAreIgnoredAndOtherFormatsRefused() {
        String later = "{\"format\":1,\"database\":\"d\",\"table\":\"t\",\"version\":2,\"extra\":{\"x\":1},"
                + "\"columns\":[{\"name\":\"c\",\"type\":\"int\",\"unsigned\":false,\"nullable\":true,\"new\":1}],"
                + "\"primary_key\":[],\"from\":{\"snapshot\":false,\"gtid\":\"0-1-1\",\"event\":0,\"file\":\"f\","
                + "\"pos\":4,\"ts_ms\":0}}";
        SchemaVersion read = TableSchemaJson.read(later.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(ColumnDefinition.of("c", "int", true).withUnsigned(false)), read.columns());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TableSchemaJson.read(
                        later.replace("\"format\":1", "\"format\":2").getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("format 2"), e.getMessage());
    }
}
