package dev.sluice.event;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.schema.Column;
import dev.sluice.schema.ColumnKind;
import dev.sluice.schema.TableSchema;
import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoder reuses one generator and copies UTF-8 text as is: records must still be separate, exact JSON. */
class EnvelopeEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Charset LATIN1 = Charset.forName("windows-1252");

    private final TableSchema table = new TableSchema(
            1,
            "db",
            "t",
            List.of(
                    new Column("id", ColumnKind.INT, 0, false, null, List.of()),
                    new Column("u", ColumnKind.VARCHAR, 0, false, StandardCharsets.UTF_8, List.of()),
                    new Column("l", ColumnKind.VARCHAR, 0, false, LATIN1, List.of())),
            new int[] {0});

    @Test
    void textNeedingEscapesRoundTripsAndRecordsStaySeparate() throws Exception {
        EnvelopeEncoder encoder = new EnvelopeEncoder("p");
        EnvelopeEncoder.TableEncoding t = encoder.prepare(table);
        String tricky = "quote \" backslash \\ tab \t nul \u0000 newline \n emoji 🎉 combining é";
        SourceMeta meta = new SourceMeta("0-1-1", "f", 4, 1000, 1, 1);
        for (int i = 0; i < 3; i++) {
            Serializable[] row = {i, tricky.getBytes(StandardCharsets.UTF_8), "café €".getBytes(LATIN1)};
            JsonNode value = JSON.readTree(encoder.value(Op.CREATE, t, null, row, meta, 0, i, 5));
            JsonNode key = JSON.readTree(encoder.key(t, row));
            assertEquals(i, key.get("id").asInt());
            assertEquals(tricky, value.get("after").get("u").asText());
            assertEquals("café €", value.get("after").get("l").asText());
            assertEquals(i, value.get("source").get("event").asInt());
            assertTrue(value.get("before").isNull());
        }
    }
}
