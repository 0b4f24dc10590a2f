package dev.sluice.source;

import static org.junit.jupiter.api.Assertions.*;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import dev.sluice.schema.CharsetMap;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A TABLE_MAP body equal to the last one of its table id is not decoded again: the same instance comes back, and
 * any difference in the body (another table id, another column) is decoded afresh.
 */
class ExactTableMapDeserializerTest {
    private final ExactTableMapDeserializer deserializer = new ExactTableMapDeserializer(new CharsetMap(Map.of()));

    @Test
    void aRepeatedTableMapIsTheSameInstanceAndAChangedOneIsDecodedAgain() throws Exception {
        TableMapEventData first = decode(body(42, "payload"));
        assertEquals("bench", first.getDatabase());
        assertEquals("rows", first.getTable());
        assertEquals(List.of("id", "payload"), first.getEventMetadata().getColumnNames());

        assertSame(first, decode(body(42, "payload")), "byte-identical: the earlier decoding");

        TableMapEventData renamed = decode(body(42, "payload2"));
        assertNotSame(first, renamed);
        assertEquals(List.of("id", "payload2"), renamed.getEventMetadata().getColumnNames());
        assertSame(renamed, decode(body(42, "payload2")));
    }

    @Test
    void eachTableIdKeepsItsOwnLastDefinition() throws Exception {
        TableMapEventData a = decode(body(1, "payload"));
        TableMapEventData b = decode(body(2, "payload"));
        assertNotSame(a, b, "another table id is another table");
        assertEquals(2, b.getTableId());
        assertSame(a, decode(body(1, "payload")), "a transaction touching both tables repeats both maps");
        assertSame(b, decode(body(2, "payload")));
    }

    private TableMapEventData decode(byte[] body) throws Exception {
        return deserializer.deserialize(new ByteArrayInputStream(body));
    }

    /** {@code bench.rows (id BIGINT NOT NULL, <second> VARCHAR(100) NULL)} as MariaDB writes it, with column names. */
    private static byte[] body(long tableId, String second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) {
            out.write((int) (tableId >>> (8 * i)) & 0xFF);
        }
        out.write(1); // flags
        out.write(0);
        lengthPrefixedZeroTerminated(out, "bench");
        lengthPrefixedZeroTerminated(out, "rows");
        out.write(2); // columns
        out.write(8); // MYSQL_TYPE_LONGLONG
        out.write(15); // MYSQL_TYPE_VARCHAR
        out.write(2); // type metadata: the VARCHAR's maximum length in bytes, 400
        out.write(0x90);
        out.write(0x01);
        out.write(0b10); // nullability: the second column
        byte[] id = "id".getBytes(StandardCharsets.UTF_8);
        byte[] name = second.getBytes(StandardCharsets.UTF_8);
        out.write(4); // optional metadata: COLUMN_NAME
        out.write(2 + id.length + name.length);
        out.write(id.length);
        out.writeBytes(id);
        out.write(name.length);
        out.writeBytes(name);
        return out.toByteArray();
    }

    private static void lengthPrefixedZeroTerminated(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length);
        out.writeBytes(b);
        out.write(0);
    }
}
