package dev.sluice.load.postgresql;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.admin.AdminServer;
import dev.sluice.config.ConfigKey;
import dev.sluice.config.LoadConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.TopicNames;
import dev.sluice.load.CanonicalText;
import dev.sluice.load.InProcessLoader;
import dev.sluice.load.LoadAdmin;
import dev.sluice.load.LoadSettings;
import dev.sluice.load.TypeCorpus;
import dev.sluice.load.TypeCorpus.TypeTable;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestPostgres;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.types.CaseFile;
import dev.sluice.types.CaseFile.TypeCase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The capture's whole type corpus (capture/src/test/resources/types, from its test-jar) through a live capture and
 * the loader into a fresh PostgreSQL database: every value in the target equals the source's JDBC read of it, as
 * {@link CanonicalText} renders both. A value PostgreSQL cannot hold is NULL with {@code
 * load.unrepresentable-values: null}, each one counted by the loader; with {@code stop} the first one stops the
 * loader (exit 6) naming table, column, key and record. The corpus runs on each MariaDB here (11.4, and 10.11 when
 * installed); the JVM runs in Asia/Kathmandu and the sources at +12:45, so nothing passes by assuming UTC.
 */
class TypeRoundTripTest {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final String JVM_ZONE = "Asia/Kathmandu";

    private static TimeZone originalZone;

    private final MariaDbServer source = TestServers.mariadb114();

    @BeforeAll
    static void runTheJvmInAnotherZone() {
        originalZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(JVM_ZONE));
    }

    @AfterAll
    static void restoreTheJvmZone() {
        TimeZone.setDefault(originalZone);
    }

    static Stream<MariaDbServer> servers() {
        return TestServers.allMariaDb().stream();
    }

    @ParameterizedTest(name = "MariaDB {0}", autoCloseArguments = false)
    @MethodSource("servers")
    void everyCorpusValueArrivesAsTheSourceHoldsItOrNullWhenPostgresCannotHoldIt(MariaDbServer server)
            throws Exception {
        String db = TestServers.uniqueName("ltypes");
        List<String> failures = new ArrayList<>();
        try (TestPostgres target = TestPostgres.freshDatabase("ltypes");
                Connection src = server.connect()) {
            List<CaseFile> files = TypeCorpus.applicableFiles(src, "TypeRoundTripTest");
            List<TypeTable> tables = TypeCorpus.plan(files);
            exec(src, "CREATE DATABASE " + db);
            for (TypeTable t : tables) {
                exec(src, "CREATE TABLE " + db + "." + t.name() + " (id INT PRIMARY KEY, v " + t.columnType() + ")");
            }
            Map<ConfigKey<?>, Object> capture = TestConfigs.forDatabase(server, db);
            TypeCorpus.createTopicsForLargeValues(capture, db, tables);
            capture.put(KAFKA_PROPERTIES, Map.of("max.request.size", TypeCorpus.MAX_MESSAGE_BYTES));
            long started = System.nanoTime();
            int compared;
            int nulled;
            LoadConfig config = loadConfig(capture, target, "types", Unrepresentable.NULL);
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(capture));
                    InProcessLoader loader = InProcessLoader.start(config)) {
                TypeCorpus.insertAll(server, db, tables, files);
                awaitAllRows(target, db, tables, loader);
                try (Connection pg = target.connect()) {
                    int[] counts = compare(src, pg, db, tables, failures);
                    compared = counts[0];
                    nulled = counts[1];
                    failures.addAll(smallDifferencesUnseen(src, pg, db, tables));
                }
                long counted = loader.stats().valuesNulled().values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                if (counted != nulled) {
                    failures.add("the loader counted " + counted + " values loaded as NULL, the source has " + nulled
                            + " PostgreSQL cannot hold: " + loader.stats().valuesNulled());
                }
                long scraped = scrapeNulled(config, loader);
                if (scraped != nulled) {
                    failures.add("/metrics shows " + scraped + " values loaded as NULL, the source has " + nulled);
                }
            }
            System.out.printf(
                    "TypeRoundTripTest: MariaDB %s: %d files, %d tables, %d values compared (%d unrepresentable, loaded as NULL "
                            + "and counted), %d failures, %d s%n",
                    server.version(),
                    files.size(),
                    tables.size(),
                    compared,
                    nulled,
                    failures.size(),
                    (System.nanoTime() - started) / 1_000_000_000);
            failures.forEach(f -> System.out.println("  FAIL " + f));
            assertTrue(compared > 400, "the corpus has more than 400 values; compared " + compared);
            assertTrue(nulled > 0, "the corpus has values PostgreSQL cannot hold (zero dates, NUL characters)");
        }
        assertTrue(failures.isEmpty(), failures.size() + " values differ:\n" + String.join("\n", failures));
    }

    @Test
    void aValuePostgresCannotHoldStopsTheLoaderExactlyAtItsRecordNamingIt() throws Exception {
        String db = TestServers.uniqueName("lstop");
        try (TestPostgres target = TestPostgres.freshDatabase("lstop");
                Connection src = source.connect()) {
            exec(src, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".dates (id INT PRIMARY KEY, d DATE)");
            Map<ConfigKey<?>, Object> capture = TestConfigs.forDatabase(source, db);
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(capture))) {
                exec(src, "INSERT INTO " + db + ".dates VALUES (1, '2024-01-01')");
                exec(
                        src,
                        "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'",
                        "INSERT INTO " + db + ".dates VALUES (2, '0000-00-00')",
                        "SET SESSION sql_mode = DEFAULT",
                        "INSERT INTO " + db + ".dates VALUES (3, '2024-01-03')");
                String topic = new TopicNames("t_" + db).table(db, "dates");
                List<TopicReader.Rec> records = awaitRecords(topic, 3);
                InProcessLoader loader =
                        InProcessLoader.start(loadConfig(capture, target, "stop", Unrepresentable.STOP));
                Throwable failure = loader.awaitFailure(WAIT);
                assertNotNull(failure, "the loader did not stop at the zero date within " + WAIT.toSeconds() + " s");
                SluiceException stop = assertInstanceOf(SluiceException.class, failure);
                assertEquals(ExitCode.DATA, stop.exitCode());
                String message = stop.getMessage();
                for (String part : List.of(
                        db + ".dates", "'d'", "id=2", topic + "[0]@", "0000-00-00", "load.unrepresentable-values")) {
                    assertTrue(message.contains(part), "the message names " + part + ": " + message);
                }
                Matcher at =
                        Pattern.compile(Pattern.quote(topic) + "\\[0]@(\\d+)").matcher(message);
                assertTrue(at.find(), message);
                try (Connection pg = target.connect()) {
                    assertEquals(List.of("1"), ids(pg, db, "dates"), "the target holds exactly the rows before it");
                    long stored = Long.parseLong(
                            scalar(pg, "SELECT next_offset FROM public._sluice_offsets WHERE topic = '" + topic + "'"));
                    // Between records lie transaction markers: the next record from the stored offset is the one.
                    assertEquals(
                            Long.parseLong(at.group(1)),
                            records.stream()
                                    .mapToLong(TopicReader.Rec::offset)
                                    .filter(o -> o >= stored)
                                    .min()
                                    .orElse(-1),
                            "a restart from the stored offset " + stored + " reads the zero date's record first");
                }
            }
        }
    }

    /** The capture has published {@code n} records to {@code topic} (read committed). */
    private static List<TopicReader.Rec> awaitRecords(String topic, int n) throws Exception {
        try (TopicReader reader =
                new TopicReader(TestServers.kafka().bootstrapServers(), Pattern.compile(Pattern.quote(topic)))) {
            return reader.readUntil(r -> r.size() >= n, WAIT, n + " records in " + topic);
        }
    }

    private static List<String> ids(Connection c, String db, String table) throws SQLException {
        List<String> ids = new ArrayList<>();
        if (!hasTable(c, db, table)) {
            return ids;
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM \"" + db + "\".\"" + table + "\" ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** The sum of sluice_load_values_nulled_total over its series, as GET /metrics shows it. */
    private static long scrapeNulled(LoadConfig config, InProcessLoader loader) throws Exception {
        try (AdminServer admin = LoadAdmin.start(config, loader.stats(), System::currentTimeMillis)) {
            HttpResponse<String> metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(admin.url() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return metrics.body()
                    .lines()
                    .filter(l -> l.startsWith("sluice_load_values_nulled_total{"))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        }
    }

    // --- plan and writes -------------------------------------------------------------------------------------------

    private static LoadConfig loadConfig(
            Map<ConfigKey<?>, Object> capture, TestPostgres target, String name, Unrepresentable policy) {
        Map<ConfigKey<?>, Object> m = PostgresSettings.forCapture(capture, target, name);
        m.put(LOAD_UNREPRESENTABLE_VALUES, policy.name().toLowerCase());
        m.put(LOAD_ADMIN_PORT, 0);
        return LoadSettings.config(m);
    }

    /** Inserts only: a table is loaded when the target has as many rows as its cases. */
    private static void awaitAllRows(TestPostgres target, String db, List<TypeTable> tables, InProcessLoader loader)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Connection c = target.connect()) {
            for (TypeTable t : tables) {
                while (!hasTable(c, db, t.name())
                        || count(c, db, t.name(), "true") < t.cases().size()) {
                    if (loader.failure() != null) {
                        throw new AssertionError("the loader stopped", loader.failure());
                    }
                    if (System.nanoTime() > deadline) {
                        fail(t.name() + " (" + t.columnType() + ") did not reach the target within " + WAIT);
                    }
                    Thread.sleep(50); // polling the target: it has no other signal
                }
            }
        }
    }

    // --- comparison ------------------------------------------------------------------------------------------------

    /** Compares every row of every table; returns {values compared, values PostgreSQL cannot hold}. */
    private static int[] compare(
            Connection src, Connection pg, String db, List<TypeTable> tables, List<String> failures)
            throws SQLException {
        int compared = 0;
        int nulled = 0;
        for (TypeTable t : tables) {
            Map<Integer, String> expected = sourceValues(src, pg, db, t);
            Map<Integer, String> actual = targetValues(pg, db, t);
            for (Map.Entry<Integer, String> e : expected.entrySet()) {
                String want = e.getValue().equals(CanonicalText.NULLED) ? CanonicalText.NULL : e.getValue();
                String got = actual.get(e.getKey());
                compared++;
                nulled += e.getValue().equals(CanonicalText.NULLED) ? 1 : 0;
                if (!want.equals(got)) {
                    TypeCase tc = t.cases().get(e.getKey() - 1);
                    failures.add(tc.where() + " " + t.columnType() + " = " + abbreviate(tc.sql()) + " | source "
                            + e.getValue() + " | target " + got);
                }
            }
        }
        return new int[] {compared, nulled};
    }

    /**
     * The comparison can fail: after it passed, one value per chosen type is changed in the target by the least
     * step that type shows (a microsecond, 1e-30, a trailing space, one more byte, one less) and the comparison of
     * that table must then report exactly one difference. Returns what it missed.
     */
    private static List<String> smallDifferencesUnseen(Connection src, Connection pg, String db, List<TypeTable> tables)
            throws SQLException {
        Map<String, String[]> nudges = new LinkedHashMap<>();
        nudges.put("DECIMAL(65,30)", new String[] {"v + 1e-30", "abs(v) < 1"});
        nudges.put("DATETIME(6)", new String[] {"v + interval '1 microsecond'", "v IS NOT NULL"});
        nudges.put("TIME(6)", new String[] {"v + interval '1 microsecond'", "v IS NOT NULL"});
        nudges.put("TIMESTAMP(6)", new String[] {"v + interval '1 microsecond'", "v IS NOT NULL"});
        nudges.put("VARCHAR(255) CHARACTER SET utf8mb4", new String[] {"v || ' '", "v IS NOT NULL"});
        nudges.put("BIGINT UNSIGNED", new String[] {"v - 1", "v IS NOT NULL"});
        nudges.put("BLOB", new String[] {"v || '\\x00'::bytea", "v IS NOT NULL"});
        List<String> missed = new ArrayList<>();
        for (TypeTable t : tables) {
            String[] nudge = nudges.remove(t.columnType());
            if (nudge == null) {
                continue;
            }
            String table = "\"" + db + "\".\"" + t.name() + "\"";
            exec(
                    pg,
                    "UPDATE " + table + " SET v = " + nudge[0] + " WHERE id = (SELECT min(id) FROM " + table + " WHERE "
                            + nudge[1] + ")");
            List<String> seen = new ArrayList<>();
            compare(src, pg, db, List.of(t), seen);
            if (seen.size() != 1) {
                missed.add(t.columnType() + ": SET v = " + nudge[0] + " in the target, and the comparison found "
                        + seen.size() + " differences instead of 1: " + seen);
            }
        }
        nudges.keySet().forEach(type -> missed.add("no table of type " + type + " to check the comparison with"));
        return missed;
    }

    private static Map<Integer, String> sourceValues(Connection src, Connection pg, String db, TypeTable t)
            throws SQLException {
        Map<Integer, String> values = new LinkedHashMap<>();
        try (Statement st = src.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT id, " + t.family().selectList() + " FROM " + db + "." + t.name() + " ORDER BY id")) {
            while (rs.next()) {
                values.put(
                        rs.getInt(1),
                        CanonicalText.source(
                                t.family(), t.columnType(), t.family().read(rs, 2, t.columnType()), pg));
            }
        }
        return values;
    }

    private static Map<Integer, String> targetValues(Connection pg, String db, TypeTable t) throws SQLException {
        Map<Integer, String> values = new LinkedHashMap<>();
        try (Statement st = pg.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, " + CanonicalText.targetSelect(t.family(), t.columnType())
                        + " FROM \"" + db + "\".\"" + t.name() + "\" ORDER BY id")) {
            while (rs.next()) {
                values.put(rs.getInt(1), CanonicalText.target(t.family(), t.columnType(), rs, 2));
            }
        }
        return values;
    }

    private static boolean hasTable(Connection c, String db, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1 FROM information_schema.tables WHERE table_schema = '" + db
                        + "' AND table_name = '" + table + "'")) {
            return rs.next();
        }
    }

    private static long count(Connection c, String db, String table, String where) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT count(*) FROM \"" + db + "\".\"" + table + "\" WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 80 ? sql : sql.substring(0, 77) + "...";
    }
}
