package dev.sluice.source;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import dev.sluice.event.EnvelopeEncoder;
import dev.sluice.event.Op;
import dev.sluice.event.SourceMeta;
import dev.sluice.schema.CharsetMap;
import dev.sluice.schema.DeclaredTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row decoding per event, one thread (issue 3, "Speed"): the body of a one-row WRITE_ROWS event decoded by
 *
 * <ul>
 *   <li>{@code libraryDefault} — the binlog library's default deserializer, the baseline (Java time types,
 *       strings in the platform charset: fast, but wrong for the values docs/types.md lists);</li>
 *   <li>{@code sluiceDecode} — Sluice's deserializer as BinlogReader configures it (byte-array strings, exact
 *       temporal values from {@code ExactCells});</li>
 *   <li>{@code sluiceDecodeAndEncode} — that plus the key and the envelope JSON, i.e. everything Sluice does per
 *       row change before handing bytes to the Kafka producer.</li>
 * </ul>
 *
 * Rows: {@code narrow} is W1 of BENCHMARKS.md ({@code id BIGINT, payload VARCHAR(100)}, 92 ASCII characters);
 * {@code wide} is W3, a typed row (BIGINT, DATETIME(6), DECIMAL(12,2), JSON, utf8mb4 VARCHAR, ENUM, BIT(8),
 * TIMESTAMP(6), INT UNSIGNED, DOUBLE). The event bytes are built here in the server's row format, so no server is
 * needed. Run with {@code -prof gc} for the allocation per event ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xms512m", "-Xmx512m"})
public class RowDecodingBenchmark {
    private static final long TABLE_ID = 42;

    @Param({"narrow", "wide"})
    public String row;

    private byte[] body;
    private EventDataDeserializer<WriteRowsEventData> library;
    private EventDataDeserializer<WriteRowsEventData> sluice;
    private EnvelopeEncoder encoder;
    private EnvelopeEncoder.TableEncoding table;
    private SourceMeta meta;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() throws IOException {
        Rows rows = row.equals("wide") ? Rows.wide() : Rows.narrow();
        body = rows.eventBody();
        Map<Long, TableMapEventData> tables = new HashMap<>(Map.of(TABLE_ID, rows.tableMap()));
        library = new WriteRowsEventDataDeserializer(tables);
        // The same configuration BinlogReader gives the pipeline (compatibility flags applied when set).
        EventDeserializer configured = new EventDeserializer();
        configured.setCompatibilityMode(CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        configured.setEventDataDeserializer(EventType.WRITE_ROWS, new ExactRowDeserializers.Write(tables));
        sluice = (EventDataDeserializer<WriteRowsEventData>) configured.getEventDataDeserializer(EventType.WRITE_ROWS);
        CharsetMap charsets = new CharsetMap(Map.of(45, "utf8mb4", 63, "binary"));
        encoder = new EnvelopeEncoder("bench");
        table = encoder.prepare(new SchemaBuilder(charsets, DeclaredTypes.NONE).build(rows.tableMap()));
        meta = new SourceMeta("0-1-1000", "mysql-bin.000001", 4, 1_700_000_000_000L, 1, 1000);
        requireSameRowCount(decode(library), decode(sluice));
        requireEncoded(rows.expectedAfter());
    }

    /** The synthetic bytes must mean what they claim, or the figures measure something else. */
    private void requireEncoded(String after) throws IOException {
        String value = new String(
                encoder.value(Op.CREATE, table, null, decode(sluice).getRows().get(0), meta, 0, 0, 0),
                StandardCharsets.UTF_8);
        if (!value.contains("\"after\":" + after + ",")) {
            throw new IllegalStateException("the " + row + " row encodes as " + value + ", expected after=" + after);
        }
    }

    @Benchmark
    public WriteRowsEventData libraryDefault() throws IOException {
        return decode(library);
    }

    @Benchmark
    public WriteRowsEventData sluiceDecode() throws IOException {
        return decode(sluice);
    }

    @Benchmark
    public int sluiceDecodeAndEncode() throws IOException {
        Serializable[] after = decode(sluice).getRows().get(0);
        byte[] key = encoder.key(table, after);
        byte[] value = encoder.value(Op.CREATE, table, null, after, meta, 0, 0, 1_700_000_000_001L);
        return key.length + value.length;
    }

    private WriteRowsEventData decode(EventDataDeserializer<WriteRowsEventData> deserializer) throws IOException {
        return deserializer.deserialize(new ByteArrayInputStream(body));
    }

    private static void requireSameRowCount(WriteRowsEventData a, WriteRowsEventData b) {
        if (a.getRows().size() != 1 || b.getRows().size() != 1) {
            throw new IllegalStateException("the synthetic event does not decode to one row");
        }
    }

    /** A table and one row of it, in the binlog's TABLE_MAP and WRITE_ROWS (v1, as MariaDB sends) formats. */
    private record Rows(
            List<String> names,
            byte[] types,
            int[] metadata,
            BitSet unsigned,
            List<Integer> collations,
            List<String[]> enumLabels,
            byte[] cells) {
        static Rows narrow() {
            Cells c = new Cells().int64(1_234_567).varchar("x".repeat(92), 2);
            return new Rows(
                    List.of("id", "payload"),
                    new byte[] {8, 15},
                    new int[] {0, 400},
                    new BitSet(),
                    List.of(45),
                    List.of(),
                    c.bytes());
        }

        static Rows wide() {
            BitSet unsigned = new BitSet();
            unsigned.set(8);
            Cells c = new Cells()
                    .int64(1_234_567)
                    .datetime6(2024, 2, 29, 23, 59, 59, 123_456)
                    .bytes(0x80, 0x00, 0x00, 0x04, 0xD2, 56) // DECIMAL(12,2) 1234.56
                    .blob4("{\"sku\": \"A-1\", \"tags\": [\"x\", \"y\"], \"n\": 1.5, \"note\": \"caf\u00e9\"}")
                    .varchar("Zo\u00eb Smith \uD83C\uDF89", 2)
                    .bytes(2) // ENUM index 2: 'paid'
                    .bytes(0xA5) // BIT(8)
                    .timestamp6(1_709_251_199L, 654_321)
                    .int32(4_000_000_000L)
                    .float64(19.99);
            return new Rows(
                    List.of("id", "created", "amount", "doc", "name", "status", "flags", "ts", "qty", "price"),
                    new byte[] {8, 18, (byte) 246, (byte) 252, 15, (byte) 254, 16, 17, 3, 5},
                    new int[] {0, 6, (2 << 8) | 12, 4, 400, (247 << 8) | 1, 1 << 8, 6, 0, 8},
                    unsigned,
                    List.of(45, 45),
                    List.<String[]>of(new String[] {"new", "paid", "shipped"}),
                    c.bytes());
        }

        String expectedAfter() {
            return names.size() == 2
                    ? "{\"id\":1234567,\"payload\":\"" + "x".repeat(92) + "\"}"
                    : "{\"id\":1234567,\"created\":\"2024-02-29 23:59:59.123456\",\"amount\":\"1234.56\","
                            + "\"doc\":\"{\\\"sku\\\": \\\"A-1\\\", \\\"tags\\\": [\\\"x\\\", \\\"y\\\"], \\\"n\\\": 1.5, "
                            + "\\\"note\\\": \\\"caf\u00e9\\\"}\",\"name\":\"Zo\u00eb Smith \uD83C\uDF89\",\"status\":\"paid\","
                            + "\"flags\":165,\"ts\":\"2024-02-29T23:59:59.654321Z\",\"qty\":4000000000,\"price\":19.99}";
        }

        TableMapEventData tableMap() {
            TableMapEventMetadata m = new TableMapEventMetadata();
            m.setColumnNames(names);
            m.setSignedness(unsigned);
            m.setColumnCharsets(collations);
            m.setEnumStrValues(enumLabels);
            m.setSimplePrimaryKeys(List.of(0));
            TableMapEventData t = new TableMapEventData();
            t.setTableId(TABLE_ID);
            t.setDatabase("bench");
            t.setTable(names.size() > 2 ? "wide" : "narrow");
            t.setColumnTypes(types);
            t.setColumnMetadata(metadata);
            t.setEventMetadata(m);
            return t;
        }

        /** table id (6), flags (2), column count, included-columns bitmap, then the row: null bitmap and cells. */
        byte[] eventBody() {
            int n = types.length;
            Cells out = new Cells().little(TABLE_ID, 6).little(0, 2).bytes(n);
            byte[] all = new byte[(n + 7) / 8];
            for (int i = 0; i < n; i++) {
                all[i / 8] |= (byte) (1 << (i % 8));
            }
            out.raw(all).raw(new byte[(n + 7) / 8]).raw(cells);
            return out.bytes();
        }
    }

    /** Cells in the server's storage formats. */
    private static final class Cells {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Cells bytes(int... values) {
            for (int v : values) {
                out.write(v);
            }
            return this;
        }

        Cells raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        Cells little(long value, int length) {
            for (int i = 0; i < length; i++) {
                out.write((int) (value >>> (8 * i)));
            }
            return this;
        }

        Cells big(long value, int length) {
            for (int i = length - 1; i >= 0; i--) {
                out.write((int) (value >>> (8 * i)));
            }
            return this;
        }

        Cells int64(long v) {
            return little(v, 8);
        }

        Cells int32(long v) {
            return little(v, 4);
        }

        Cells float64(double v) {
            return little(Double.doubleToLongBits(v), 8);
        }

        Cells varchar(String s, int lengthBytes) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            return little(utf8.length, lengthBytes).raw(utf8);
        }

        Cells blob4(String s) {
            return varchar(s, 4);
        }

        Cells datetime6(int year, int month, int day, int hour, int minute, int second, int micros) {
            long ymd = ((long) (year * 13 + month) << 5) | day;
            long hms = ((long) hour << 12) | ((long) minute << 6) | second;
            return big(((ymd << 17) | hms) + 0x8000000000L, 5).big(micros, 3);
        }

        Cells timestamp6(long epochSeconds, int micros) {
            return big(epochSeconds, 4).big(micros, 3);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
