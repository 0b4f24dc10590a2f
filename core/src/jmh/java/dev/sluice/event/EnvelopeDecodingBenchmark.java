package dev.sluice.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.schema.Column;
import dev.sluice.schema.ColumnKind;
import dev.sluice.schema.TableSchema;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
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
 * Decoding one change record (key and value), one thread, as a loader or any consumer of the topics does it:
 *
 * <ul>
 *   <li>{@code decoder} — {@link EnvelopeDecoder}: a {@link ChangeEvent} with exact cells;</li>
 *   <li>{@code readTree} — the baseline the hand-written readers used: Jackson's {@code ObjectMapper.readTree} of
 *       the key and the value (a tree of maps, source block included, doubles as doubles).</li>
 * </ul>
 *
 * Rows are those of the binlog decoding benchmark ({@code RowDecodingBenchmark} in capture): {@code narrow} is W1
 * ({@code id BIGINT, payload VARCHAR(100)}, 92 ASCII characters), {@code wide} the typed W3 row (BIGINT,
 * DATETIME(6), DECIMAL, JSON, utf8mb4 VARCHAR, ENUM, BIT(8), TIMESTAMP(6), INT UNSIGNED, DOUBLE), encoded here by
 * {@link EnvelopeEncoder}; 1,024 records with different ids and GTIDs are decoded in turn. Run with {@code -prof gc}
 * for the allocation per record ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xms512m", "-Xmx512m"})
public class EnvelopeDecodingBenchmark {
    private static final int RECORDS = 1024;
    private static final String TOPIC = "bench.bench.t";
    private static final ObjectMapper TREES = new ObjectMapper();

    @Param({"narrow", "wide"})
    public String row;

    private final byte[][] keys = new byte[RECORDS][];
    private final byte[][] values = new byte[RECORDS][];
    private final EnvelopeDecoder decoder = new EnvelopeDecoder();
    private int next;

    @Setup
    public void setUp() {
        boolean wide = row.equals("wide");
        TableSchema schema = wide ? wide() : narrow();
        EnvelopeEncoder encoder = new EnvelopeEncoder("bench");
        EnvelopeEncoder.TableEncoding table = encoder.prepare(schema);
        for (int i = 0; i < RECORDS; i++) {
            Serializable[] cells = wide ? wideRow(i) : narrowRow(i);
            SourceMeta meta = new SourceMeta(
                    "0-1-" + (1000 + i / 10), "mysql-bin.000001", 4 + i, 1_700_000_000_000L, 1, 1000 + i / 10);
            keys[i] = encoder.key(table, cells);
            values[i] = encoder.value(Op.CREATE, table, null, cells, meta, 0, i % 10, 1_700_000_000_001L);
        }
        ChangeEvent sample = decoder.decode(TOPIC, keys[1], values[1]);
        if (sample.after().size() != schema.columns().size()) {
            throw new IllegalStateException("the " + row + " record decodes as " + sample);
        }
    }

    @Benchmark
    public ChangeEvent decoder() {
        int i = next++ & (RECORDS - 1);
        return decoder.decode(TOPIC, 0, i, keys[i], values[i]);
    }

    @Benchmark
    public JsonNode readTree() throws IOException {
        int i = next++ & (RECORDS - 1);
        TREES.readTree(keys[i]);
        return TREES.readTree(values[i]);
    }

    private static TableSchema narrow() {
        return new TableSchema(
                1, "bench", "narrow", List.of(column("id", ColumnKind.BIGINT), text("payload")), new int[] {0});
    }

    private static Serializable[] narrowRow(int i) {
        return new Serializable[] {1_234_567L + i, "x".repeat(92).getBytes(StandardCharsets.UTF_8)};
    }

    private static TableSchema wide() {
        return new TableSchema(
                2,
                "bench",
                "wide",
                List.of(
                        column("id", ColumnKind.BIGINT),
                        column("created", ColumnKind.DATETIME),
                        column("amount", ColumnKind.DECIMAL),
                        column("doc", ColumnKind.JSON),
                        text("name"),
                        new Column("status", ColumnKind.ENUM, 0, false, null, List.of("new", "paid", "shipped")),
                        new Column("flags", ColumnKind.BIT, 1 << 8, false, null, List.of()),
                        column("ts", ColumnKind.TIMESTAMP),
                        new Column("qty", ColumnKind.INT, 0, true, null, List.of()),
                        column("price", ColumnKind.DOUBLE)),
                new int[] {0});
    }

    private static Serializable[] wideRow(int i) {
        BitSet flags = BitSet.valueOf(new long[] {0xA5});
        return new Serializable[] {
            1_234_567L + i,
            "2024-02-29 23:59:59.123456",
            new BigDecimal("1234.56"),
            "{\"sku\": \"A-1\", \"tags\": [\"x\", \"y\"], \"n\": 1.5, \"note\": \"caf\u00e9\"}",
            "Zo\u00eb Smith \uD83C\uDF89".getBytes(StandardCharsets.UTF_8),
            2,
            flags,
            "2024-02-29T23:59:59.654321Z",
            (int) 4_000_000_000L,
            19.99
        };
    }

    private static Column column(String name, ColumnKind kind) {
        return new Column(name, kind, 0, false, null, List.of());
    }

    private static Column text(String name) {
        return new Column(name, ColumnKind.VARCHAR, 0, false, StandardCharsets.UTF_8, List.of());
    }
}
