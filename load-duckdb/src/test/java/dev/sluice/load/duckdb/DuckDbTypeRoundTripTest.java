package dev.sluice.load.duckdb;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.LoadConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.load.CanonicalText;
import dev.sluice.load.InProcessLoader;
import dev.sluice.load.TypeCorpus;
import dev.sluice.load.TypeCorpus.TypeTable;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.types.CaseFile;
import dev.sluice.types.CaseFile.TypeCase;
import dev.sluice.types.ValueFamily;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture's whole type corpus through a live capture and the loader into a DuckDB file: every value equals the
 * source's JDBC read of it as {@link CanonicalText} renders the source, with DuckDB's reads rendered the same way
 * ({@link #select}, {@link #read}). A value DuckDB cannot hold (zero and invalid dates, the zero TIMESTAMP) is NULL
 * with {@code load.unrepresentable-values: null}, counted; DuckDB's text holds U+0000, so NUL is no such value.
 */
class DuckDbTypeRoundTripTest {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final DateTimeFormatter INSTANT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final MariaDbServer source = TestServers.mariadb114();

    @TempDir
    Path dir;

    @Test
    void everyCorpusValueArrivesAsTheSourceHoldsItOrNullWhenDuckDbCannotHoldIt() throws Exception {
        String db = TestServers.uniqueName("dtypes");
        Path file = dir.resolve("corpus.duckdb");
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        int compared = 0;
        int nulled = 0;
        long counted;
        List<TypeTable> tables;
        try (Connection src = source.connect()) {
            List<CaseFile> files = TypeCorpus.applicableFiles(src, "DuckDbTypeRoundTripTest");
            tables = TypeCorpus.plan(files);
            exec(src, "CREATE DATABASE " + db);
            for (TypeTable t : tables) {
                exec(src, "CREATE TABLE " + db + "." + t.name() + " (id INT PRIMARY KEY, v " + t.columnType() + ")");
            }
            Map<ConfigKey<?>, Object> capture = TestConfigs.forDatabase(source, db);
            TypeCorpus.createTopicsForLargeValues(capture, db, tables);
            capture.put(KAFKA_PROPERTIES, Map.of("max.request.size", TypeCorpus.MAX_MESSAGE_BYTES));
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(capture));
                    InProcessLoader loader = InProcessLoader.start(loadConfig(capture, file))) {
                TypeCorpus.insertAll(source, db, tables, files);
                for (TypeTable t : tables) {
                    LakeFile.awaitRows(file, db, t.name(), "true", t.cases().size(), loader, WAIT);
                }
                try (Connection target = LakeFile.open(file)) {
                    for (TypeTable t : tables) {
                        Map<Integer, String> want = sourceValues(src, db, t);
                        Map<Integer, String> got = targetValues(target, db, t);
                        for (Map.Entry<Integer, String> e : want.entrySet()) {
                            boolean unrepresentable = e.getValue().equals(CanonicalText.NULLED);
                            String expected = unrepresentable ? CanonicalText.NULL : e.getValue();
                            compared++;
                            nulled += unrepresentable ? 1 : 0;
                            if (!expected.equals(got.get(e.getKey()))) {
                                TypeCase tc = t.cases().get(e.getKey() - 1);
                                failures.add(tc.where() + " " + t.columnType() + " | source " + e.getValue()
                                        + " | target " + got.get(e.getKey()));
                            }
                        }
                    }
                }
                counted = loader.stats().valuesNulled().values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
            }
        }
        System.out.printf(
                "DuckDbTypeRoundTripTest: %d tables, %d values compared (%d unrepresentable, loaded as NULL), "
                        + "%d failures, %d s%n",
                tables.size(), compared, nulled, failures.size(), (System.nanoTime() - started) / 1_000_000_000);
        failures.forEach(f -> System.out.println("  FAIL " + f));
        assertTrue(compared > 400, "the corpus has more than 400 values; compared " + compared);
        assertTrue(nulled > 0, "the corpus has values DuckDB cannot hold (zero dates)");
        assertTrue(counted == nulled, "the loader counted " + counted + " NULLs, the source has " + nulled);
        assertTrue(failures.isEmpty(), failures.size() + " values differ:\n" + String.join("\n", failures));
    }

    /** The SELECT expression (over column {@code v}) DuckDB's value is read with. */
    private static String select(ValueFamily family, String columnType) {
        return switch (family) {
            case TEMPORAL ->
                switch (CanonicalText.keyword(columnType)) {
                    case "DATE" -> "strftime(v, '%Y-%m-%d')";
                    case "DATETIME" -> "strftime(v, '%Y-%m-%d %H:%M:%S.%f')";
                    default -> "CAST(CAST(round(epoch(v) * 1000000) AS BIGINT) AS VARCHAR)";
                };
            case TIMESTAMP -> "CAST(epoch_us(v) AS VARCHAR)";
            case BINARY -> "hex(v)";
            default -> "CAST(v AS VARCHAR)";
        };
    }

    /** DuckDB's value, read with {@link #select}, as {@link CanonicalText} renders the source's. */
    private static String read(ValueFamily family, String columnType, String text) {
        if (text == null) {
            return CanonicalText.NULL;
        }
        return switch (family) {
            case DECIMAL -> new BigDecimal(text).toPlainString();
            case FLOAT -> Float.toString(Float.parseFloat(text));
            case DOUBLE -> Double.toString(Double.parseDouble(text));
            case BIT ->
                CanonicalText.bitWidth(columnType) == 1
                        ? text
                        : new BigInteger(text) + " (" + CanonicalText.bitWidth(columnType) + " bits)";
            case TEMPORAL ->
                CanonicalText.keyword(columnType).equals("TIME") ? CanonicalText.duration(Long.parseLong(text)) : text;
            case TIMESTAMP -> INSTANT.format(Instant.EPOCH.plusNanos(Long.parseLong(text) * 1000));
            case TEXT -> CanonicalText.text(text);
            case BINARY -> CanonicalText.bytes(HexFormat.of().parseHex(text));
            case GEOMETRY -> CanonicalText.geometry(CanonicalText.parse(text));
            default -> text;
        };
    }

    private static Map<Integer, String> sourceValues(Connection src, String db, TypeTable t) throws SQLException {
        Map<Integer, String> values = new LinkedHashMap<>();
        try (Statement st = src.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT id, " + t.family().selectList() + " FROM " + db + "." + t.name() + " ORDER BY id")) {
            while (rs.next()) {
                values.put(
                        rs.getInt(1),
                        CanonicalText.source(
                                t.family(), t.columnType(), t.family().read(rs, 2, t.columnType()), null, true));
            }
        }
        return values;
    }

    private static Map<Integer, String> targetValues(Connection target, String db, TypeTable t) throws SQLException {
        Map<Integer, String> values = new LinkedHashMap<>();
        try (Statement st = target.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, " + select(t.family(), t.columnType()) + " FROM \"" + db
                        + "\".\"" + t.name() + "\" ORDER BY id")) {
            while (rs.next()) {
                values.put(rs.getInt(1), read(t.family(), t.columnType(), rs.getString(2)));
            }
        }
        return values;
    }

    private static LoadConfig loadConfig(Map<ConfigKey<?>, Object> capture, Path file) {
        return LakeFile.loadConfig(capture, file, "corpus", Map.of(LOAD_UNREPRESENTABLE_VALUES, "null"));
    }
}
