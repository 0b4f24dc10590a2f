package dev.sluice.types;

import static dev.sluice.config.ConfigKeys.KAFKA_PROPERTIES;
import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.SluiceConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.event.ChangeEvent;
import dev.sluice.event.RowImage;
import dev.sluice.kafka.TopicNames;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.schema.Column;
import dev.sluice.schema.TableSchema;
import dev.sluice.snapshot.Differences;
import dev.sluice.source.BinlogTap;
import dev.sluice.source.ServerCheck;
import dev.sluice.source.ServerInfo;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import dev.sluice.types.CaseFile.TypeCase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance matrix of issue 3: every (column type, value) case of src/test/resources/types is inserted,
 * updated to another case's value and back, and deleted; the envelope's {@code after} (insert), {@code before} and
 * {@code after} (both updates) and {@code before} (delete) must equal, value by value, both the JSON the case file
 * expects and the value read back over JDBC from the source (so a decoding bug fails even where the expected text
 * is wrong). Every failing case is listed, not just the first. One pipeline per server; the servers run at +12:45
 * and this JVM in yet another zone, so nothing passes by assuming UTC.
 *
 * <p>Snapshots (issue 5) must encode exactly like the stream: each table's schema read from the catalog
 * ({@code CatalogSchema}) must equal the one the stream built from its TABLE_MAP, and every row is also read as a
 * snapshot reads it ({@code SnapshotCells}) while it holds each of its values (after the insert and after each
 * update); the snapshot's {@code after} JSON and key must equal the published record's and its cells the binlog
 * decoder's, object for object. The few cases a snapshot cannot read exactly are listed in
 * {@link #SNAPSHOT_EXCLUDED} with the reason, and must be refused.
 */
class TypeMatrixTest {
    private static final List<CaseFile> FILES = CaseFile.loadAll();
    /** Large enough for the ≥ 1 MB cases: an update carries before and after, base64 (4/3 of the bytes) each. */
    private static final String MAX_MESSAGE_BYTES = Integer.toString(16 * 1024 * 1024);

    private static final Duration WAIT = Duration.ofSeconds(180);
    /**
     * Every table: the value column {@code v} between decoy columns of other kinds, so that each per-kind list of
     * the binlog's row metadata (signedness of numeric columns, charsets of character columns, ENUM/SET labels)
     * has entries before and after v's, and a decoder that counts a kind wrongly shifts them into the wrong column.
     */
    private static final String COLUMNS = "id INT PRIMARY KEY, d_year YEAR, d_text VARCHAR(4) CHARACTER SET latin1, "
            + "d_set SET('a','b'), v %s, d_uint INT UNSIGNED";

    private static final String DECOY_NAMES = "d_year, d_text, d_set, d_uint";
    private static final String DECOY_VALUES = "2000, 'é', 'b', 4294967295";
    private static final JsonNode DECOYS =
            JsonValues.expected("{\"d_year\":2000,\"d_text\":\"é\",\"d_set\":\"b\",\"d_uint\":4294967295}");
    /** The JVM's zone while the matrix runs: neither UTC nor the servers' +12:45. */
    private static final String JVM_ZONE = "Asia/Kathmandu";

    private static TimeZone originalZone;

    /** The cases of one column type in one file: one table, one row per case with ids from 1, NULL included. */
    private record TypeTable(CaseFile file, String name, String columnType, ValueFamily family, List<TypeCase> cases) {}

    /** What the test wrote for one row, and what the source says it holds. */
    private record Row(TypeTable table, int index, JsonNode reference) {
        TypeCase typeCase() {
            return table.cases().get(index);
        }

        int id() {
            return index + 1;
        }
    }

    static Stream<MariaDbServer> servers() {
        return TestServers.allMariaDb().stream();
    }

    @BeforeAll
    static void runTheJvmInAnotherZone() {
        originalZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(JVM_ZONE));
    }

    @AfterAll
    static void restoreTheJvmZone() {
        TimeZone.setDefault(originalZone);
    }

    @ParameterizedTest(name = "MariaDB {0}", autoCloseArguments = false)
    @MethodSource("servers")
    void everyCaseArrivesExactlyInInsertUpdateAndDelete(MariaDbServer server) throws Exception {
        String version = server.version();
        List<String> failures = new ArrayList<>();
        try (Connection c = server.connect()) {
            List<CaseFile> files = applicableFiles(c, version, failures);
            String db = TestServers.uniqueName("types");
            List<TypeTable> tables = plan(files);
            exec(c, "CREATE DATABASE " + db);
            for (TypeTable t : tables) {
                exec(c, "CREATE TABLE " + db + "." + t.name() + " (" + COLUMNS.replace("%s", t.columnType()) + ")");
            }
            createTopicsForLargeValues(db, tables);
            var settings = TestConfigs.forDatabase(server, db);
            settings.put(KAFKA_PROPERTIES, Map.of("max.request.size", MAX_MESSAGE_BYTES));
            SluiceConfig config = TestConfigs.build(settings);
            ServerInfo beforeRows = new ServerCheck(config.source()).run();
            int total = tables.stream().mapToInt(t -> t.cases().size()).sum();
            try (InProcessPipeline pipeline = InProcessPipeline.start(config);
                    TopicReader topics = new TopicReader(
                            TestServers.kafka().bootstrapServers(),
                            Pattern.compile(Pattern.quote("t_" + db + "." + db + ".") + ".*"),
                            JsonValues.MAPPER);
                    SnapshotReads snapshot = new SnapshotReads(
                            config.source(),
                            db,
                            tables.stream().map(TypeTable::name).toList())) {
                insertAll(server, db, tables, files);
                List<Row> rows = readReferences(c, db, tables);
                int[] partners = partners(rows);
                // A snapshot read while each row holds each of the values the stream publishes for it.
                List<Map<String, Map<Integer, SnapshotReads.Image>>> snapshots = new ArrayList<>();
                snapshots.add(snapshot.readAll());
                perRow(
                        server,
                        db,
                        rows,
                        files,
                        (row, i) -> "UPDATE %s SET v = "
                                + rows.get(partners[i]).typeCase().sql());
                snapshots.add(snapshot.readAll());
                perRow(
                        server,
                        db,
                        rows,
                        files,
                        (row, i) -> "UPDATE %s SET v = " + row.typeCase().sql());
                snapshots.add(snapshot.readAll());
                perRow(server, db, rows, files, (row, i) -> "DELETE FROM %s");
                List<Rec> records = readAll(topics, pipeline, 4 * total, failures);
                Map<String, List<Rec>> byRow = byRow(records);
                verify(version, db, rows, partners, byRow, failures);
                int decoded = verifyDecoding(version, records, failures);
                Map<String, BinlogTap.Table> stream = BinlogTap.read(config.source(), beforeRows, db, 4 * total, WAIT);
                SnapshotTally tally = new SnapshotTally();
                verifySchemas(version, tables, stream, snapshot, tally, failures);
                verifySnapshots(version, db, rows, partners, byRow, stream, snapshots, tally, failures);
                System.out.printf(
                        "TypeMatrixTest: MariaDB %s: %d files, %d tables, %d cases (%d with NULL added per "
                                + "type), %d records, %d failures%n",
                        version,
                        files.size(),
                        tables.size(),
                        total - tables.size(),
                        total,
                        records.size(),
                        failures.size());
                System.out.printf(
                        "TypeMatrixTest: MariaDB %s: decoder: %d values decoded equal to the JSON written%n",
                        version, decoded);
                System.out.printf(
                        "TypeMatrixTest: MariaDB %s: snapshot: %d catalog schemas equal the stream's, %d "
                                + "row images equal the stream's (after JSON, key, cells), %d excluded as documented%n",
                        version, tally.schemas, tally.images, tally.excluded.size());
                tally.excluded.forEach(x -> System.out.println("  EXCLUDED " + x));
                failures.forEach(f -> System.out.println("  FAIL " + f));
            }
        }
        assertTrue(
                failures.isEmpty(),
                failures.size() + " failing checks on MariaDB " + version + ":\n" + String.join("\n", failures));
    }

    // --- plan ------------------------------------------------------------------------------------------------------

    /** Files whose types this server has; a file whose named time zone cannot be loaded is reported and skipped. */
    private static List<CaseFile> applicableFiles(Connection c, String version, List<String> failures)
            throws Exception {
        List<CaseFile> files = new ArrayList<>();
        for (CaseFile f : FILES) {
            if (!f.appliesTo(version)) {
                System.out.printf(
                        "TypeMatrixTest: %s needs MariaDB %s, server is %s: not run here%n",
                        f.name(), f.minVersion(), version);
            } else if (f.timeZone() != null && !ServerTimeZones.available(c, f.timeZone())) {
                System.out.printf(
                        "TypeMatrixTest: %s needs time zone %s, which this server cannot load: not run%n",
                        f.name(), f.timeZone());
            } else {
                files.add(f);
            }
        }
        return files;
    }

    /** One table per distinct column type of each file, each with an extra NULL case. */
    private static List<TypeTable> plan(List<CaseFile> files) {
        List<TypeTable> tables = new ArrayList<>();
        for (CaseFile f : files) {
            Map<String, List<TypeCase>> byType = new java.util.LinkedHashMap<>();
            for (TypeCase tc : f.cases()) {
                byType.computeIfAbsent(tc.columnType(), k -> new ArrayList<>()).add(tc);
            }
            String stem = f.name().substring(0, f.name().indexOf('.')).replace('-', '_');
            int n = 0;
            for (Map.Entry<String, List<TypeCase>> e : byType.entrySet()) {
                List<TypeCase> cases = new ArrayList<>(e.getValue());
                TypeCase first = cases.get(0);
                cases.add(new TypeCase(first.file(), first.line(), first.columnType(), "NULL", "null"));
                tables.add(new TypeTable(
                        f, stem + "_" + (++n), e.getKey(), ValueFamily.of(e.getKey()), List.copyOf(cases)));
            }
        }
        return tables;
    }

    private static void createTopicsForLargeValues(String db, List<TypeTable> tables) throws Exception {
        TopicNames names = new TopicNames("t_" + db);
        Properties props = new Properties();
        props.put("bootstrap.servers", TestServers.kafka().bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = tables.stream()
                    .map(t -> new NewTopic(names.table(db, t.name()), 1, (short) 1)
                            .configs(Map.of("max.message.bytes", MAX_MESSAGE_BYTES)))
                    .toList();
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    // --- writes ----------------------------------------------------------------------------------------------------

    private static void insertAll(MariaDbServer server, String db, List<TypeTable> tables, List<CaseFile> files)
            throws Exception {
        for (CaseFile f : files) {
            inFileSession(server, f, st -> {
                for (TypeTable t : tables) {
                    if (t.file() == f) {
                        for (int i = 0; i < t.cases().size(); i++) {
                            st.addBatch("INSERT INTO " + db + "." + t.name() + " (id, v, " + DECOY_NAMES + ") VALUES ("
                                    + (i + 1) + ", " + t.cases().get(i).sql() + ", " + DECOY_VALUES + ")");
                        }
                    }
                }
            });
        }
    }

    /** A statement per row (its table in place of {@code %s}, {@code WHERE id = } its id), one transaction per file. */
    private static void perRow(
            MariaDbServer server,
            String db,
            List<Row> rows,
            List<CaseFile> files,
            java.util.function.BiFunction<Row, Integer, String> statement)
            throws Exception {
        for (CaseFile f : files) {
            inFileSession(server, f, st -> {
                for (int i = 0; i < rows.size(); i++) {
                    Row row = rows.get(i);
                    if (row.table().file() == f) {
                        st.addBatch(statement
                                        .apply(row, i)
                                        .replace("%s", db + "." + row.table().name()) + " WHERE id = " + row.id());
                    }
                }
            });
        }
    }

    private interface Batch {
        void add(Statement st) throws Exception;
    }

    /** Runs one file's statements in one transaction, in a session with the file's sql_mode and time_zone. */
    private static void inFileSession(MariaDbServer server, CaseFile f, Batch batch) throws Exception {
        try (Connection c = server.connect();
                Statement st = c.createStatement()) {
            if (f.sqlMode() != null) {
                st.execute("SET SESSION sql_mode = '" + f.sqlMode() + "'");
            }
            if (f.timeZone() != null) {
                st.execute("SET SESSION time_zone = '" + f.timeZone() + "'");
            }
            c.setAutoCommit(false);
            batch.add(st);
            try {
                st.executeBatch();
            } catch (java.sql.SQLException e) {
                throw new AssertionError(f.name() + ": a statement failed: " + e.getMessage(), e);
            }
            c.commit();
        }
    }

    // --- reference values ------------------------------------------------------------------------------------------

    private static List<Row> readReferences(Connection c, String db, List<TypeTable> tables) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (TypeTable t : tables) {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, " + t.family().selectList() + " FROM " + db + "."
                            + t.name() + " ORDER BY id")) {
                while (rs.next()) {
                    rows.add(new Row(t, rs.getInt(1) - 1, t.family().read(rs, 2, t.columnType())));
                }
            }
        }
        return rows;
    }

    /**
     * For each row, the next row of its table (cyclically) whose stored value differs: an UPDATE to an equal value
     * changes nothing and the server logs no row event for it. Every table has a NULL row, so one always exists.
     */
    private static int[] partners(List<Row> rows) {
        int[] partners = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            int size = row.table().cases().size();
            int start = i - row.index();
            partners[i] = -1;
            for (int k = 1; k < size && partners[i] < 0; k++) {
                int candidate = start + (row.index() + k) % size;
                if (!row.table()
                        .family()
                        .sameAsReference(row.reference(), rows.get(candidate).reference())) {
                    partners[i] = candidate;
                }
            }
            if (partners[i] < 0) {
                throw new IllegalStateException(row.typeCase().where() + ": every case of "
                        + row.table().columnType() + " stores the same value; add one that differs");
            }
        }
        return partners;
    }

    // --- verification ----------------------------------------------------------------------------------------------

    /** Every record, or those that came before the pipeline failed (its error is then the first failure). */
    private static List<Rec> readAll(
            TopicReader topics, InProcessPipeline pipeline, int expected, List<String> failures) {
        try {
            topics.readUntil(r -> r.size() >= expected || pipeline.failureSoFar() != null, WAIT, expected + " records");
        } catch (AssertionError e) {
            failures.add("only some records arrived: " + e.getMessage());
        }
        if (pipeline.failureSoFar() != null) {
            failures.add("the pipeline stopped: " + pipeline.failureSoFar());
        }
        return topics.drain(Duration.ofSeconds(1));
    }

    /** The records of each row, by topic and key, in order. */
    private static Map<String, List<Rec>> byRow(List<Rec> records) {
        Map<String, List<Rec>> byRow = new HashMap<>();
        for (Rec r : records) {
            byRow.computeIfAbsent(r.topic() + " " + r.key(), k -> new ArrayList<>())
                    .add(r);
        }
        return byRow;
    }

    private static List<Rec> recordsOf(String db, Row row, Map<String, List<Rec>> byRow) {
        return byRow.getOrDefault(
                new TopicNames("t_" + db).table(db, row.table().name()) + " {\"id\":" + row.id() + "}", List.of());
    }

    private static void verify(
            String version,
            String db,
            List<Row> rows,
            int[] partners,
            Map<String, List<Rec>> byRow,
            List<String> failures) {
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            Row partner = rows.get(partners[i]);
            List<Rec> recs = recordsOf(db, row, byRow);
            List<String> ops = recs.stream().map(Rec::op).toList();
            if (!ops.equals(List.of("c", "u", "u", "d"))) {
                failures.add(line(version, row, "events", "c,u,u,d", String.join(",", ops)));
                continue;
            }
            check(version, row, row, "insert.after", recs.get(0).after(), failures);
            check(version, row, row, "update1.before", recs.get(1).before(), failures);
            check(
                    version,
                    row,
                    partner,
                    "update1.after (value of line " + partner.typeCase().line() + ")",
                    recs.get(1).after(),
                    failures);
            check(
                    version,
                    row,
                    partner,
                    "update2.before (value of line " + partner.typeCase().line() + ")",
                    recs.get(2).before(),
                    failures);
            check(version, row, row, "update2.after", recs.get(2).after(), failures);
            check(version, row, row, "delete.before", recs.get(3).before(), failures);
        }
    }

    /**
     * The round trip: every record as {@code EnvelopeDecoder} decodes it (which is what {@link #verify} checks against
     * the case files and JDBC) equals the JSON the pipeline wrote, value by value: each cell of the key, before and
     * after in order and with its JSON type, the op, the source block and ts_ms. Returns the number of values compared.
     */
    private static int verifyDecoding(String version, List<Rec> records, List<String> failures) {
        int values = 0;
        for (Rec r : records) {
            JsonNode written = r.value();
            ChangeEvent event = r.event();
            String where = "[" + version + "] decoder | " + r.topic() + "@" + r.offset() + " key " + r.key() + " | ";
            List<String> differences = new ArrayList<>();
            values += compareImage(JsonValues.expected(r.key()), event.key(), "key", differences);
            values += compareImage(written.get("before"), event.before(), "before", differences);
            values += compareImage(written.get("after"), event.after(), "after", differences);
            JsonNode source = written.get("source");
            ChangeEvent.Source decoded = event.source();
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("op", List.of(written.get("op").asText(), event.op().code()));
            fields.put("ts_ms", List.of(written.get("ts_ms").asLong(), event.tsMs()));
            fields.put("source.version", List.of(source.get("version").asText(), decoded.version()));
            fields.put("source.connector", List.of(source.get("connector").asText(), decoded.connector()));
            fields.put("source.name", List.of(source.get("name").asText(), decoded.name()));
            fields.put("source.ts_ms", List.of(source.get("ts_ms").asLong(), decoded.tsMs()));
            fields.put(
                    "source.snapshot", List.of(source.get("snapshot").asText(), Boolean.toString(decoded.snapshot())));
            fields.put("source.db", List.of(source.get("db").asText(), decoded.db()));
            fields.put("source.table", List.of(source.get("table").asText(), decoded.table()));
            fields.put("source.server_id", List.of(source.get("server_id").asLong(), decoded.serverId()));
            fields.put("source.gtid", List.of(source.get("gtid").asText(), String.valueOf(decoded.gtid())));
            fields.put("source.file", List.of(source.get("file").asText(), decoded.file()));
            fields.put("source.pos", List.of(source.get("pos").asLong(), decoded.pos()));
            fields.put("source.row", List.of(source.get("row").asLong(), decoded.row()));
            fields.put("source.event", List.of(source.get("event").asLong(), decoded.event()));
            fields.forEach((name, pair) -> {
                List<?> both = (List<?>) pair;
                if (!both.get(0).equals(both.get(1))) {
                    differences.add(name + " written " + both.get(0) + ", decoded " + both.get(1));
                }
            });
            values += fields.size();
            differences.forEach(d -> failures.add(where + d));
        }
        return values;
    }

    /** Compares a decoded image with the JSON object (or null) written; returns the number of cells compared. */
    private static int compareImage(JsonNode written, RowImage decoded, String image, List<String> differences) {
        if (written == null || written.isNull() || decoded == null) {
            if ((written == null || written.isNull()) != (decoded == null)) {
                differences.add(image + " written " + written + ", decoded " + decoded);
            }
            return 1;
        }
        List<String> names = new ArrayList<>();
        written.fieldNames().forEachRemaining(names::add);
        if (!names.equals(decoded.names())) {
            differences.add(image + " columns written " + names + ", decoded " + decoded.names());
            return 1;
        }
        for (int i = 0; i < names.size(); i++) {
            if (!JsonValues.identical(written.get(names.get(i)), decoded.cell(i))) {
                differences.add(
                        image + "." + names.get(i) + " written " + JsonValues.describe(written.get(names.get(i)))
                                + ", decoded " + JsonValues.describe(decoded.cell(i)) + " ("
                                + decoded.cell(i).getNodeType() + ")");
            }
        }
        return names.size();
    }

    /** Compares one image's {@code v} with {@code source}'s expected JSON and JDBC reference. */
    private static void check(
            String version, Row row, Row source, String image, JsonNode envelopeRow, List<String> failures) {
        JsonNode actual = envelopeRow == null || envelopeRow.isNull() ? null : envelopeRow.get("v");
        if (actual != null && !sameRowApartFromV(envelopeRow, row.id())) {
            failures.add(line(
                    version, row, image, "id=" + row.id() + ", v and the decoys " + DECOYS, envelopeRow.toString()));
        }
        JsonNode expected = JsonValues.expected(source.typeCase().expected());
        boolean asExpected = JsonValues.same(expected, actual);
        boolean asSource = actual != null && source.table().family().sameAsReference(source.reference(), actual);
        if (!asExpected || !asSource) {
            failures.add(line(
                            version,
                            row,
                            image,
                            "expected " + JsonValues.describe(expected) + " | jdbc "
                                    + JsonValues.describe(source.reference()),
                            JsonValues.describe(actual))
                    + (asSource && !row.table().family().isFloatingPoint()
                            ? "  [envelope equals JDBC: is the case file's expected value right?]"
                            : ""));
        }
    }

    // --- snapshot reads ----------------------------------------------------------------------------------------------

    private static final String LABELS_OUTSIDE_BMP = "information_schema shows ENUM/SET labels in utf8mb3, so a label "
            + "character outside the Basic Multilingual Plane reads as '?' (no catalog view has the exact label): the "
            + "snapshot refuses a row holding such a label rather than publish '?'";
    /**
     * Cases a snapshot cannot read exactly over JDBC (docs/types.md, "Snapshot values"), by file and column type,
     * each with its reason. Not silently skipped: for these tables the catalog's schema may differ from the
     * stream's only in the labels the catalog cannot show, a row holding such a value must be refused (never
     * published differently), every other row must still equal the stream, and each exclusion is printed.
     */
    private static final Map<String, String> SNAPSHOT_EXCLUDED = Map.of(
            "enums.tsv ENUM('café','🎉','a b','x,y') CHARACTER SET utf8mb4", LABELS_OUTSIDE_BMP,
            "enums.tsv SET('🎉','b') CHARACTER SET utf8mb4", LABELS_OUTSIDE_BMP);

    /** What the snapshot comparison covered, and what it left out by {@link #SNAPSHOT_EXCLUDED}. */
    private static final class SnapshotTally {
        int schemas;
        int images;
        final List<String> excluded = new ArrayList<>();
    }

    private static String excludedReason(TypeTable t) {
        return SNAPSHOT_EXCLUDED.get(t.file().name() + " " + t.columnType());
    }

    /** The catalog's schema of every table equals the one the stream built from its TABLE_MAP. */
    private static void verifySchemas(
            String version,
            List<TypeTable> tables,
            Map<String, BinlogTap.Table> stream,
            SnapshotReads snapshot,
            SnapshotTally tally,
            List<String> failures) {
        for (TypeTable t : tables) {
            String where = "[" + version + "] " + t.cases().get(0).where() + " " + t.columnType() + " | catalog schema";
            BinlogTap.Table streamed = stream.get(t.name());
            TableSchema catalog = snapshot.schema(t.name());
            if (streamed == null || catalog == null) {
                failures.add(where + " | stream " + (streamed == null ? "(no TABLE_MAP read)" : "ok") + " | snapshot "
                        + (catalog == null ? snapshot.schemaFailure(t.name()) : "ok"));
                continue;
            }
            List<String> differences = Differences.schema(streamed.schema(), catalog);
            if (differences.isEmpty()) {
                tally.schemas++;
            } else if (excludedReason(t) != null && onlyLabelsTheCatalogCannotShow(streamed.schema(), catalog)) {
                tally.excluded.add(where + " | " + differences + " | " + excludedReason(t));
            } else {
                differences.forEach(d -> failures.add(where + " | " + d));
            }
        }
    }

    /** Whether the schemas differ only in labels that the catalog shows with '?' for characters beyond U+FFFF. */
    private static boolean onlyLabelsTheCatalogCannotShow(TableSchema stream, TableSchema catalog) {
        if (!java.util.Arrays.equals(stream.primaryKey(), catalog.primaryKey())
                || stream.columns().size() != catalog.columns().size()) {
            return false;
        }
        for (int i = 0; i < stream.columns().size(); i++) {
            Column s = stream.columns().get(i);
            List<String> shown =
                    s.labels().stream().map(TypeMatrixTest::asTheCatalogShowsIt).toList();
            if (!new Column(s.name(), s.kind(), s.meta(), s.unsigned(), s.charset(), shown)
                    .equals(catalog.columns().get(i))) {
                return false;
            }
        }
        return true;
    }

    private static String asTheCatalogShowsIt(String label) {
        return label.codePoints()
                .map(cp -> cp > 0xFFFF ? '?' : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    /**
     * Each snapshot read (after the insert, after the update to the partner's value, after the update back) equals
     * what the stream published for that value: the whole {@code after} JSON, the key, and the decoder's cells.
     */
    private static void verifySnapshots(
            String version,
            String db,
            List<Row> rows,
            int[] partners,
            Map<String, List<Rec>> byRow,
            Map<String, BinlogTap.Table> stream,
            List<Map<String, Map<Integer, SnapshotReads.Image>>> snapshots,
            SnapshotTally tally,
            List<String> failures) {
        String[] moments = {"snapshot after insert", "snapshot after update1", "snapshot after update2"};
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            Row partner = rows.get(partners[i]);
            List<Rec> recs = recordsOf(db, row, byRow);
            BinlogTap.Table streamed = stream.get(row.table().name());
            List<BinlogTap.RowChange> changes = streamed == null ? List.of() : changesOf(streamed, row.id());
            if (recs.size() != 4 || changes.size() != 4) {
                failures.add(line(
                        version,
                        row,
                        "snapshot",
                        "4 records and 4 binlog row changes",
                        recs.size() + " records, " + changes.size() + " binlog row changes"));
                continue;
            }
            for (int moment = 0; moment < 3; moment++) {
                String image = moments[moment]
                        + (moment == 1 ? " (value of line " + partner.typeCase().line() + ")" : "");
                SnapshotReads.Image read = snapshots
                        .get(moment)
                        .getOrDefault(row.table().name(), Map.of())
                        .get(row.id());
                compareImage(
                        version,
                        row,
                        image,
                        recs.get(moment),
                        streamed.schema(),
                        changes.get(moment).after(),
                        read,
                        tally,
                        failures);
            }
        }
    }

    /** The table's row changes of one id, in binlog order. */
    private static List<BinlogTap.RowChange> changesOf(BinlogTap.Table table, int id) {
        return table.changes().stream()
                .filter(ch -> Integer.valueOf(id).equals((ch.after() != null ? ch.after() : ch.before())[0]))
                .toList();
    }

    private static void compareImage(
            String version,
            Row row,
            String image,
            Rec published,
            TableSchema streamSchema,
            java.io.Serializable[] streamCells,
            SnapshotReads.Image read,
            SnapshotTally tally,
            List<String> failures) {
        JsonNode after = published.value().get("after"); // the JSON as written: the encoders are compared here
        if (read == null || read.refused() != null) {
            String why = read == null
                    ? "(row not read)"
                    : "refused: " + read.refused().getMessage();
            if (read != null
                    && excludedReason(row.table()) != null
                    && outsideBmp(after.path("v").asText())) {
                tally.excluded.add(snapshotLine(version, row, image, JsonValues.describe(after.get("v")), why) + " | "
                        + excludedReason(row.table()));
            } else {
                failures.add(snapshotLine(version, row, image, JsonValues.describe(after), why));
            }
            return;
        }
        int before = failures.size();
        if (!after.equals(read.after())) {
            boolean vDiffers =
                    !java.util.Objects.equals(after.get("v"), read.after().get("v"));
            failures.add(snapshotLine(
                    version,
                    row,
                    image,
                    JsonValues.describe(vDiffers ? after.get("v") : after),
                    JsonValues.describe(vDiffers ? read.after().get("v") : read.after())));
        }
        if (!published.key().equals(read.key())) {
            failures.add(snapshotLine(version, row, image + " key", published.key(), read.key()));
        }
        Differences.cells(streamSchema, streamCells, read.cells())
                .forEach(d -> failures.add(
                        snapshotLine(version, row, image + " cell " + d.column(), d.stream(), d.snapshot())));
        tally.images += failures.size() == before ? 1 : 0;
    }

    private static boolean outsideBmp(String text) {
        return text.codePoints().anyMatch(cp -> cp > 0xFFFF);
    }

    private static String snapshotLine(String version, Row row, String image, String stream, String snapshot) {
        TypeCase tc = row.typeCase();
        return "[" + version + "] " + tc.where() + " " + tc.columnType() + " = " + abbreviate(tc.sql()) + " | " + image
                + " | stream " + stream + " | snapshot " + snapshot;
    }

    private static boolean sameRowApartFromV(JsonNode envelopeRow, int id) {
        if (envelopeRow.size() != 2 + DECOYS.size() || envelopeRow.path("id").asInt() != id) {
            return false;
        }
        for (java.util.Iterator<String> names = DECOYS.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!JsonValues.same(DECOYS.get(name), envelopeRow.get(name))) {
                return false;
            }
        }
        return true;
    }

    private static String line(String version, Row row, String image, String wanted, String got) {
        TypeCase tc = row.typeCase();
        return "[" + version + "] " + tc.where() + " " + tc.columnType() + " = " + abbreviate(tc.sql()) + " | " + image
                + " | " + wanted + " | envelope " + got;
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 80 ? sql : sql.substring(0, 77) + "...";
    }
}
