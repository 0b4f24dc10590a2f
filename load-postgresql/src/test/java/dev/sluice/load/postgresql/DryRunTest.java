package dev.sluice.load.postgresql;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.LoadConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.kafka.TopicNames;
import dev.sluice.load.InProcessLoader;
import dev.sluice.load.LoadCommand;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestPostgres;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code sluice load --dry-run} prints the DDL the loader would run — its own tables and a CREATE TABLE for a table
 * never loaded; an ALTER TABLE for one whose source changed since — exits 0, and changes nothing in the target.
 */
class DryRunTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    private final MariaDbServer source = TestServers.mariadb114();

    @Test
    void printsTheDdlItWouldRunAndChangesNothing() throws Exception {
        String db = TestServers.uniqueName("ldry");
        try (TestPostgres target = TestPostgres.freshDatabase("ldry");
                Connection src = source.connect()) {
            exec(src, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, note VARCHAR(20))");
            Map<ConfigKey<?>, Object> capture = TestConfigs.forDatabase(source, db);
            String topic = new TopicNames((String) capture.get(KAFKA_TOPIC_PREFIX)).table(db, "orders");
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(capture))) {
                exec(src, "INSERT INTO " + db + ".orders VALUES (1, 'a')");
                awaitRecords(topic, 1);
                Path config = writeConfig(capture, target);

                String firstPlan = dryRun(config);
                assertTrue(
                        firstPlan.contains("CREATE TABLE IF NOT EXISTS \"public\".\"_sluice_offsets\""),
                        "the loader's own tables: " + firstPlan);
                assertTrue(
                        firstPlan.contains("CREATE TABLE \"" + db + "\".\"orders\" (\"id\" integer NOT NULL, "
                                + "\"note\" varchar(20), "),
                        "the table never loaded: " + firstPlan);
                assertEquals(List.of(), tablesIn(target), "the dry run created a table");

                try (InProcessLoader loader = InProcessLoader.start(loadConfig(config))) {
                    awaitRow(target, db, loader);
                }
                exec(
                        src,
                        "ALTER TABLE " + db + ".orders ADD COLUMN extra INT",
                        "INSERT INTO " + db + ".orders VALUES (2, 'b', 3)");
                awaitRecords(topic, 2);
                List<String> loadedTables = tablesIn(target);
                String secondPlan = dryRun(config);
                assertTrue(
                        secondPlan.contains("ALTER TABLE \"" + db + "\".\"orders\" ADD COLUMN \"extra\" integer;"),
                        "the source's change since: " + secondPlan);
                assertTrue(!secondPlan.contains("CREATE TABLE \"" + db), "the table exists: " + secondPlan);
                assertEquals(loadedTables, tablesIn(target), "the dry run changed the tables");
                assertEquals(List.of("id", "note"), columnsOf(target, db), "the dry run altered the table");
            }
        }
    }

    /** Runs {@code sluice load --config F --dry-run}; returns what it printed, after checking it exited 0. */
    private static String dryRun(Path config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new LoadCommand()).execute("--config", config.toString(), "--dry-run");
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertEquals(0, exit, "the dry run's exit code; it printed " + printed);
        return printed;
    }

    private static Path writeConfig(Map<ConfigKey<?>, Object> capture, TestPostgres target) throws Exception {
        Map<ConfigKey<?>, Object> m = PostgresSettings.forCapture(capture, target, "dry");
        m.put(LOAD_ADMIN_PORT, 0);
        Path file = Files.createTempFile("sluice-load-dry-run", ".yaml");
        file.toFile().deleteOnExit();
        return TestConfigs.writeYaml(m, file);
    }

    private static LoadConfig loadConfig(Path yaml) {
        return LoadConfig.from(dev.sluice.config.ConfigReader.read(yaml, Map.of()));
    }

    private static void awaitRecords(String topic, int n) {
        try (TopicReader reader =
                new TopicReader(TestServers.kafka().bootstrapServers(), Pattern.compile(Pattern.quote(topic)))) {
            reader.readUntil(r -> r.size() >= n, WAIT, n + " records in " + topic);
        }
    }

    private static void awaitRow(TestPostgres target, String db, InProcessLoader loader) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!tablesIn(target).contains(db + ".orders") || count(target, db) < 1) {
            if (loader.failure() != null || System.nanoTime() > deadline) {
                throw new AssertionError("row 1 did not reach the target", loader.failure());
            }
            Thread.sleep(50); // polling the target: it has no other signal
        }
    }

    /** Every table of the target database outside the system schemas, as {@code schema.table}. */
    private static List<String> tablesIn(TestPostgres target) throws SQLException {
        return rows(
                target,
                "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema NOT IN "
                        + "('pg_catalog', 'information_schema') ORDER BY 1");
    }

    private static List<String> columnsOf(TestPostgres target, String db) throws SQLException {
        return rows(
                target,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = '" + db + "' AND table_name "
                        + "= 'orders' AND column_name NOT LIKE '\\_sluice\\_%' ORDER BY ordinal_position");
    }

    private static long count(TestPostgres target, String db) throws SQLException {
        return Long.parseLong(
                rows(target, "SELECT count(*) FROM \"" + db + "\".orders").get(0));
    }

    private static List<String> rows(TestPostgres target, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = target.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
