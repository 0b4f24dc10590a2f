package dev.sluice.load.postgresql;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigValues;
import dev.sluice.config.LoadConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestPostgres;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.Workload;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The loader fault tests' world: the seeded workload writing into a source database under a live capture (in this
 * JVM), a PostgreSQL target database shared by the test class, and the two checks every test ends with:
 *
 * <ul>
 *   <li><b>target = source</b>: per table, the rows ordered by key hashed (MD5) on both sides;</li>
 *   <li><b>no row's version ever went backwards</b>: a trigger on every target table the loader creates (attached
 *       by an event trigger, inside the loader's own transaction, before its first row) records each written row's
 *       key and {@code (_sluice_ordinal, _sluice_event)} in {@code row_history}; per key that sequence must never
 *       decrease. A rolled-back batch leaves no history, as it leaves no rows.</li>
 * </ul>
 */
final class LoadedWorkload implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(180);
    /** Above every id the workload gives out. */
    private static final long FENCE_IDS = 1_000_000_000L;

    final MariaDbServer source = TestServers.mariadb114();
    final Workload workload;
    final String db;
    final Map<ConfigKey<?>, Object> capture;
    private final TestPostgres target;
    private final InProcessPipeline pipeline;
    private final Thread writing;
    private long fences;

    private LoadedWorkload(TestPostgres target, String prefix, long seed) throws SQLException {
        this.target = target;
        this.db = TestServers.uniqueName(prefix);
        this.workload = new Workload(source, db, seed).throttled(20);
        workload.createTables();
        this.capture = TestConfigs.forDatabase(source, db);
        this.pipeline = InProcessPipeline.start(TestConfigs.build(capture));
        this.writing = new Thread(workload, "workload-" + db);
    }

    /** Tables created, the capture running; the workload starts with {@link #startWriting}. */
    static LoadedWorkload start(TestPostgres target, String prefix) throws SQLException {
        long seed = Long.getLong("sluice.test.seed", System.nanoTime());
        System.out.println(prefix + " workload seed " + seed);
        return new LoadedWorkload(target, prefix, seed);
    }

    InProcessPipeline pipeline() {
        return pipeline;
    }

    /** Starts the workload and returns once it committed its first transactions (each table has rows). */
    void startWriting() throws InterruptedException {
        writing.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (workload.committed().size() < 20) {
            if (System.nanoTime() > deadline || !writing.isAlive()) {
                fail("the workload did not commit 20 transactions (failure: " + workload.failure() + ")");
            }
            Thread.sleep(20); // polling the workload's record of commits
        }
    }

    /** Waits until the loader has created {@code table} in the target. */
    void awaitTargetTable(String table) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Connection c = target.connect()) {
            while (!exists(c, table)) {
                if (System.nanoTime() > deadline) {
                    fail(db + "." + table + " was not created in the target within " + WAIT.toSeconds() + " s");
                }
                Thread.sleep(50); // polling the target: it has no other signal
            }
        }
    }

    void stopWriting() throws InterruptedException {
        workload.stop();
        writing.join();
        assertNull(workload.failure(), "the workload ran without errors");
    }

    /** The loader's settings (Kafka, filter, target); {@code extra} adds or overrides keys. */
    Map<ConfigKey<?>, Object> loaderSettings(String name) {
        Map<ConfigKey<?>, Object> m = PostgresSettings.forCapture(capture, target, name);
        // A loader killed -9 stays in the group until its session times out: the broker's minimum, not 45 s.
        m.put(KAFKA_PROPERTIES, Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000"));
        m.put(LOAD_ADMIN_PORT, 0);
        return m;
    }

    LoadConfig loaderConfig(String name) {
        return LoadConfig.from(ConfigValues.of(loaderSettings(name)));
    }

    Path loaderYaml(Map<ConfigKey<?>, Object> settings) throws Exception {
        return TestConfigs.writeYaml(
                settings, TestServers.directory("load-" + db).resolve("load-" + System.nanoTime() + ".yaml"));
    }

    Path captureYaml() throws Exception {
        return TestConfigs.writeYaml(
                capture, TestServers.directory("load-" + db).resolve("sluice.yaml"));
    }

    /** Commits a fence row and waits until the target has it: everything committed before it is loaded. */
    void awaitFence() throws Exception {
        workload.fence();
        long id;
        try (Connection c = source.connect()) {
            id = Long.parseLong(scalar(c, "SELECT MAX(id) FROM " + db + "." + Workload.FENCE));
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Connection c = target.connect()) {
            while (!targetHasFence(c, id)) {
                if (System.nanoTime() > deadline) {
                    fail("the fence row " + id + " did not reach the target within " + WAIT.toSeconds() + " s");
                }
                Thread.sleep(50); // polling the target: it has no other signal
            }
        }
    }

    /**
     * After the workload stopped: one more row in every table, and waits until the target has each. Every table is a
     * partition of its own, possibly loaded by another worker or loader, so only a row in each proves all are loaded.
     */
    void awaitFenceInEveryTable() throws Exception {
        long id = FENCE_IDS + fences++;
        try (Connection c = source.connect()) {
            for (String table : Workload.tables()) {
                exec(c, "INSERT INTO " + db + "." + table + " VALUES (" + id + ", 0, 'fence')");
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Connection c = target.connect()) {
            for (String table : Workload.tables()) {
                while (!targetHasRow(c, table, id)) {
                    if (System.nanoTime() > deadline) {
                        fail("the fence row " + id + " did not reach " + table + " in the target within "
                                + WAIT.toSeconds() + " s");
                    }
                    Thread.sleep(50); // polling the target: it has no other signal
                }
            }
        }
    }

    private boolean exists(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT to_regclass('\"" + db + "\"." + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private boolean targetHasFence(Connection c, long id) throws SQLException {
        return targetHasRow(c, Workload.FENCE, id);
    }

    private boolean targetHasRow(Connection c, String table, long id) throws SQLException {
        if (!exists(c, table)) {
            return false;
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1 FROM \"" + db + "\"." + table + " WHERE id = " + id)) {
            return rs.next();
        }
    }

    /** Target = source: per table, the count and the MD5 of the rows in key order. */
    void assertTargetEqualsSource() throws SQLException {
        try (Connection src = source.connect();
                Connection dst = target.connect()) {
            for (String table : Workload.tables()) {
                String columns = " id, v, payload FROM ";
                Checksum expected = Checksum.of(src, "SELECT" + columns + db + "." + table + " ORDER BY id");
                Checksum actual = Checksum.of(dst, "SELECT" + columns + "\"" + db + "\"." + table + " ORDER BY id");
                assertTrue(expected.rows() > 0 || table.equals(Workload.FENCE), "the workload wrote " + table);
                assertEquals(expected, actual, "target = source for " + db + "." + table);
            }
        }
    }

    /**
     * Per table and key, the versions its writes carried, in the order they were written, never decrease — nor
     * repeat: a change is applied only where it is newer, so a change shown twice writes nothing the second time.
     */
    void assertNoVersionWentBack() throws SQLException {
        try (Connection c = target.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE (ordinal, event) < (prev_ordinal, "
                        + "prev_event)), count(*) FILTER (WHERE (ordinal, event) = (prev_ordinal, prev_event)) "
                        + "FROM (SELECT ordinal, event, lag(ordinal) OVER w AS prev_ordinal, lag(event) OVER w AS "
                        + "prev_event FROM row_history WHERE schema_name = '" + db + "' "
                        + "WINDOW w AS (PARTITION BY tbl, row_key ORDER BY seq)) h")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "writes that moved a row's version backwards, in " + db);
            assertEquals(0, rs.getLong(2), "writes that repeated a row's version, in " + db);
        }
        assertTrue(historyRows() > 0, "the history recorded the loader's writes");
    }

    /** Waits until the loader wrote more than {@code rows} rows: a batch was committed since. */
    void awaitHistoryBeyond(long rows) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (historyRows() <= rows) {
            if (System.nanoTime() > deadline) {
                fail("no batch was committed within " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(50); // polling the target: it has no other signal
        }
    }

    /** Rows the loader wrote (inserted or updated) into this database's tables so far. */
    long historyRows() throws SQLException {
        try (Connection c = target.connect()) {
            return Long.parseLong(scalar(c, "SELECT count(*) FROM row_history WHERE schema_name = '" + db + "'"));
        }
    }

    /**
     * Once per target database: {@code row_history}, the trigger function that fills it, and the event trigger that
     * attaches it to every table created outside {@code public} (the loader's own tables) and the staging tables.
     */
    static void recordHistory(TestPostgres target) throws SQLException {
        try (Connection c = target.connect()) {
            exec(
                    c,
                    "CREATE TABLE row_history (seq bigserial PRIMARY KEY, schema_name text NOT NULL, tbl text NOT NULL,"
                            + " row_key text NOT NULL, ordinal bigint NOT NULL, event bigint NOT NULL)",
                    "CREATE FUNCTION record_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                            + "INSERT INTO public.row_history (schema_name, tbl, row_key, ordinal, event) VALUES "
                            + "(TG_TABLE_SCHEMA, TG_TABLE_NAME, NEW.id::text, NEW._sluice_ordinal, NEW._sluice_event);"
                            + " RETURN NEW; END $$",
                    "CREATE FUNCTION attach_history() RETURNS event_trigger LANGUAGE plpgsql AS $$ DECLARE r record; "
                            + "BEGIN FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = "
                            + "'CREATE TABLE' AND schema_name <> 'public' AND schema_name NOT LIKE 'pg_temp%' LOOP "
                            + "EXECUTE format('CREATE TRIGGER sluice_history AFTER INSERT OR UPDATE ON %s FOR EACH ROW "
                            + "EXECUTE FUNCTION public.record_version()', r.object_identity); END LOOP; END $$",
                    "CREATE EVENT TRIGGER attach_history ON ddl_command_end WHEN TAG IN ('CREATE TABLE') "
                            + "EXECUTE FUNCTION attach_history()");
        }
    }

    @Override
    public void close() throws InterruptedException {
        workload.stop();
        if (writing.isAlive()) {
            writing.join();
        }
        pipeline.close();
    }

    /** Rows of a query, in its order: how many, and the MD5 of their text. */
    record Checksum(long rows, String md5) {
        static Checksum of(Connection c, String sql) throws SQLException {
            MessageDigest md5 = newDigest();
            long rows = 0;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> cells = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) {
                        cells.add(String.valueOf(rs.getString(i)));
                    }
                    md5.update((String.join("|", cells) + "\n").getBytes(StandardCharsets.UTF_8));
                    rows++;
                }
            }
            return new Checksum(rows, new BigInteger(1, md5.digest()).toString(16));
        }

        private static MessageDigest newDigest() {
            try {
                return MessageDigest.getInstance("MD5");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
