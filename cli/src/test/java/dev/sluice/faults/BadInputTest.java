package dev.sluice.faults;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.config.ConfigKey;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import dev.sluice.failure.ExitCode;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each mistake a user can make stops Sluice with its own exit code and one message that names the cause (the
 * host:port, the setting, the grant, the key, the position) and what to do — and never prints a secret.
 */
class BadInputTest {
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(60);

    private record Outcome(int exitCode, String output) {}

    private static Outcome runSluice(Map<ConfigKey<?>, Object> settings) throws Exception {
        Path config =
                TestConfigs.writeYaml(settings, TestServers.directory("bad").resolve("sluice.yaml"));
        try (SluiceProcess p = SluiceProcess.run(config)) {
            int code = p.awaitExit(EXIT_WITHIN);
            return new Outcome(code, p.output());
        }
    }

    private static Map<ConfigKey<?>, Object> settings(MariaDbServer server) throws Exception {
        String db = TestServers.uniqueName("b");
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE IF NOT EXISTS " + db);
        }
        return TestConfigs.forDatabase(server, db);
    }

    private static void assertMentions(Outcome o, String... parts) {
        for (String part : parts) {
            assertTrue(o.output().contains(part), "expected '" + part + "' in:\n" + o.output());
        }
    }

    @Test
    void unreachableSourceNamesHostAndPort() throws Exception {
        var s = settings(TestServers.mariadb114());
        int port = Ports.free();
        s.put(SOURCE_PORT, port);
        s.put(SOURCE_CONNECT_RETRY_SECONDS, 2);
        Outcome o = runSluice(s);
        assertEquals(ExitCode.UNREACHABLE.code(), o.exitCode(), o.output());
        assertMentions(o, "127.0.0.1:" + port);
    }

    @Test
    void unreachableKafkaNamesBootstrapServers() throws Exception {
        var s = settings(TestServers.mariadb114());
        String bootstrap = "127.0.0.1:" + Ports.free();
        s.put(KAFKA_BOOTSTRAP_SERVERS, bootstrap);
        s.put(KAFKA_CONNECT_RETRY_SECONDS, 1);
        Outcome o = runSluice(s);
        assertEquals(ExitCode.UNREACHABLE.code(), o.exitCode(), o.output());
        assertMentions(o, "Kafka at " + bootstrap);
        assertMentions(o, "connection refused");
    }

    @Test
    void serverWithoutBinlogIsRefusedNamingTheSetting() throws Exception {
        try (MariaDbServer server = TestServers.throwawayMariaDb(
                "nobinlog", MariaDbServer.Options.defaults().withoutBinlog())) {
            Outcome o = runSluice(settings(server));
            assertEquals(ExitCode.SOURCE_NOT_READY.code(), o.exitCode(), o.output());
            assertMentions(o, "log_bin is OFF");
        }
    }

    @Test
    void serverWithWrongBinlogSettingsIsRefusedNamingEachSetting() throws Exception {
        MariaDbServer.Options options = MariaDbServer.Options.defaults()
                .withExtraArgs(List.of(
                        "--binlog-row-image=MINIMAL", "--binlog-row-metadata=MINIMAL", "--log-bin-compress=ON"));
        try (MariaDbServer server = TestServers.throwawayMariaDb("badbinlog", options)) {
            Outcome o = runSluice(settings(server));
            assertEquals(ExitCode.SOURCE_NOT_READY.code(), o.exitCode(), o.output());
            assertMentions(
                    o,
                    "binlog_row_image is MINIMAL",
                    "binlog_row_metadata is MINIMAL",
                    "log_bin_compress is ON",
                    "SET GLOBAL binlog_row_metadata=FULL");
        }
    }

    @Test
    void missingGrantsAreNamed() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        var s = settings(server);
        String user = TestServers.uniqueName("ro");
        try (Connection c = server.connect()) {
            exec(
                    c,
                    "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY 'pw'",
                    "GRANT SELECT ON *.* TO '" + user + "'@'127.0.0.1'");
        }
        s.put(SOURCE_USER, user);
        s.put(SOURCE_PASSWORD, "pw");
        Outcome o = runSluice(s);
        assertEquals(ExitCode.SOURCE_NOT_READY.code(), o.exitCode(), o.output());
        assertMentions(
                o,
                "lacks REPLICATION SLAVE, BINLOG MONITOR",
                "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO '" + user);
    }

    @Test
    void wrongPasswordIsRefusedAndNeverPrinted() throws Exception {
        var s = settings(TestServers.mariadb114());
        String canary = "canary-" + TestServers.uniqueName("pw");
        s.put(SOURCE_PASSWORD, canary);
        Outcome o = runSluice(s);
        assertEquals(ExitCode.SOURCE_NOT_READY.code(), o.exitCode(), o.output());
        assertMentions(o, "access denied", "source.password");
        assertFalse(o.output().contains(canary), "the password must never be printed:\n" + o.output());
    }

    @Test
    void serverIdEqualToTheSourcesOwnIsRefused() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        var s = settings(server);
        try (Connection c = server.connect()) {
            s.put(SOURCE_SERVER_ID, Long.parseLong(scalar(c, "SELECT @@server_id")));
        }
        Outcome o = runSluice(s);
        assertEquals(ExitCode.SOURCE_NOT_READY.code(), o.exitCode(), o.output());
        assertMentions(o, "source.server-id is ", "the same as the source server's own server_id");
    }

    @Test
    void unknownConfigKeyNamesFileLineAndKey() throws Exception {
        Path config = TestServers.directory("bad").resolve("sluice.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "source:\n  user: x\n  hots: db.example\nkafka:\n  bootstrap-servers: k:9092\n");
        try (SluiceProcess p = SluiceProcess.run(config)) {
            assertEquals(ExitCode.CONFIG.code(), p.awaitExit(EXIT_WITHIN), p.output());
            assertTrue(p.output().contains(config + ":3: unknown key 'source.hots'"), p.output());
        }
    }

    @Test
    void purgedStoredPositionStopsNamingStoredAndOldestPositions() throws Exception {
        try (MariaDbServer server = TestServers.throwawayMariaDb("purge", MariaDbServer.Options.defaults())) {
            var s = settings(server);
            String db = ((List<?>) s.get(FILTER_INCLUDE)).get(0).toString().replace(".*", "");
            try (Connection c = server.connect()) {
                exec(c, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
                try (InProcessPipeline p = InProcessPipeline.start(TestConfigs.build(s));
                        TopicReader topics = new TopicReader(
                                TestServers.kafka().bootstrapServers(),
                                Pattern.compile(Pattern.quote("t_" + db + "." + db + ".t")))) {
                    exec(c, "INSERT INTO " + db + ".t VALUES (1)");
                    topics.readUntil(r -> !r.isEmpty(), EXIT_WITHIN, "the first row");
                }
                String stored = scalar(c, "SELECT @@gtid_binlog_pos");
                exec(
                        c,
                        "INSERT INTO " + db + ".t VALUES (2)",
                        "FLUSH BINARY LOGS",
                        "INSERT INTO " + db + ".t VALUES (3)",
                        "FLUSH BINARY LOGS");
                exec(c, "PURGE BINARY LOGS BEFORE NOW() + INTERVAL 1 DAY");
                String oldestFile = scalar(c, "SHOW BINARY LOGS");
                String oldest = scalar(c, "SELECT BINLOG_GTID_POS('" + oldestFile + "', 4)");
                Outcome o = runSluice(s);
                assertEquals(ExitCode.POSITION_LOST.code(), o.exitCode(), o.output());
                assertMentions(
                        o,
                        "stored position GTID " + stored,
                        "oldest binlog the source still has, GTID " + oldest + " (" + oldestFile,
                        "will not skip the gap");
            }
        }
    }
}
