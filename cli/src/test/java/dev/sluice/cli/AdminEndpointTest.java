package dev.sluice.cli;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.scalar;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.admin.AdminServer;
import dev.sluice.config.ConfigKey;
import dev.sluice.config.SluiceConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.failure.ExitCode;
import dev.sluice.monitor.CaptureAdmin;
import dev.sluice.monitor.HealthCheck;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TcpProxy;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoint against a real pipeline, MariaDB and Kafka, scraped over HTTP: /health answers 503 before
 * streaming and while the binlog link is dead, 200 while data flows and while idle; /metrics counts exactly the
 * events written; the purge estimate follows the source's real retention and binlog rotations; `sluice run` binds
 * the configured port and refuses a taken one with exit 2.
 */
class AdminEndpointTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void healthAndMetricsFollowTheRealPipeline() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        try (Connection c = server.connect();
                TcpProxy proxy = TcpProxy.start(server.host(), server.port())) {
            String db = TestServers.uniqueName("adm");
            String password = "canary-" + db + "-secret";
            // The least-privileged CDC user, so the retention SQL is proven to need no more; its password is the
            // canary that must never appear in any response.
            exec(
                    c,
                    "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)",
                    "CREATE USER '" + db + "'@'%' IDENTIFIED BY '" + password + "'",
                    "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO '" + db + "'@'%'",
                    "GRANT SELECT ON " + db + ".* TO '" + db + "'@'%'");
            Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
            settings.put(SOURCE_PORT, proxy.port());
            settings.put(SOURCE_USER, db);
            settings.put(SOURCE_PASSWORD, password);
            settings.put(SOURCE_HEARTBEAT_SECONDS, 1);
            settings.put(SOURCE_CONNECT_RETRY_SECONDS, 30);
            SluiceConfig config = TestConfigs.build(settings);
            String name = config.pipeline().name();
            PipelineStats stats = new PipelineStats();
            try (AdminServer admin = CaptureAdmin.start(config, stats, System::currentTimeMillis)) {
                String url = admin.url();
                assertTrue(url.startsWith("http://127.0.0.1:"), "loopback by default: " + url);

                HttpResponse<String> before = get(url, "/health");
                assertEquals(503, before.statusCode(), before.body());
                assertTrue(before.body().contains("not streaming"), before.body());
                assertEquals(
                        0,
                        metric(get(url, "/metrics").body(), "sluice_streaming", name)
                                .getAsDouble());

                try (InProcessPipeline pipeline = InProcessPipeline.start(config, stats)) {
                    await(() -> status(url, "/health") == 200, "healthy once streaming");
                    for (int id = 1; id <= 25; id++) {
                        transaction(c, "INSERT INTO " + db + ".t VALUES (" + id + ")");
                    }
                    await(() -> value(url, "sluice_events_committed_total", name) >= 25, "25 events counted");
                    HttpResponse<String> scrape = get(url, "/metrics");
                    assertTrue(
                            scrape.headers()
                                    .firstValue("Content-Type")
                                    .orElse("")
                                    .startsWith("text/plain; version=0.0.4"),
                            scrape.headers().toString());
                    String body = scrape.body();
                    assertEquals(
                            25,
                            metric(body, "sluice_events_committed_total", name).getAsDouble(),
                            body);
                    assertTrue(metric(body, "sluice_source_transactions_committed_total", name)
                                    .getAsDouble()
                            >= 25);
                    assertEquals(1, metric(body, "sluice_streaming", name).getAsDouble(), body);
                    assertEquals(1, metric(body, "sluice_healthy", name).getAsDouble(), body);
                    assertEquals(
                            0, metric(body, "sluice_reconnects_total", name).getAsDouble(), body);
                    assertPurgeEstimateMatchesRetention(c, url, name);

                    // Idle past the commit bound (3 × 1 s + 20 ms): keep-alive commits keep it healthy.
                    double commits = value(url, "sluice_kafka_commits_total", name);
                    Thread.sleep(HealthCheck.Limits.from(config).maxCommitAgeMs() + 2_000);
                    HttpResponse<String> idle = get(url, "/health");
                    assertEquals(200, idle.statusCode(), idle.body());
                    assertTrue(value(url, "sluice_kafka_commits_total", name) > commits, "keep-alive commits");
                    assertTrue(value(url, "sluice_binlog_lag_seconds", name) < 5, "caught up: lag near 0");
                    assertTrue(value(url, "sluice_last_commit_age_seconds", name) < 3);

                    proxy.blackhole();
                    long blackholedAt = System.nanoTime();
                    await(() -> status(url, "/health") == 503, "unhealthy once the link is dead");
                    long detectedMs = (System.nanoTime() - blackholedAt) / 1_000_000;
                    assertTrue(detectedMs < 15_000, "dead link reported within 15 s, took " + detectedMs + " ms");
                    await(() -> value(url, "sluice_reconnects_total", name) >= 1, "the reconnect counted");
                    proxy.resetAll();
                    proxy.heal();
                    await(() -> status(url, "/health") == 200, "healthy again after reconnecting");
                    transaction(c, "INSERT INTO " + db + ".t VALUES (26)");
                    await(() -> value(url, "sluice_events_committed_total", name) >= 26, "26 events counted");
                    assertEquals(26, value(url, "sluice_events_committed_total", name), "exactly once");

                    assertReadOnlyAndSecretFree(url, password);
                }
            }
        }
    }

    /**
     * A throwaway server (its retention is changed) with 2 hours of retention. The file being written has the
     * whole retention ahead; a rotation with nothing uncommitted moves the position to the new file; a rotation
     * while a transaction awaits its Kafka commit closes the position's file, and the estimate then counts down
     * from that file's last write.
     */
    @Test
    void secondsUntilPurgeFollowsRetentionAndRotations() throws Exception {
        try (MariaDbServer server = TestServers.throwawayMariaDb("retention", MariaDbServer.Options.defaults());
                Connection c = server.connect()) {
            String db = TestServers.uniqueName("ret");
            exec(
                    c,
                    "SET GLOBAL binlog_expire_logs_seconds = 7200",
                    "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
            Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
            // Commits wait 30 s, also when caught up, so a rotation right after a write finds the write uncommitted.
            settings.put(PIPELINE_COMMIT_INTERVAL_MS, 30_000);
            settings.put(PIPELINE_COMMIT_MIN_INTERVAL_MS, 30_000);
            SluiceConfig config = TestConfigs.build(settings);
            String name = config.pipeline().name();
            PipelineStats stats = new PipelineStats();
            try (AdminServer admin = CaptureAdmin.start(config, stats, System::currentTimeMillis);
                    InProcessPipeline pipeline = InProcessPipeline.start(config, stats)) {
                String url = admin.url();
                await(() -> metricOrNaN(url, "sluice_binlog_seconds_until_purge", name) >= 0, "an estimate");
                assertEquals(7200, value(url, "sluice_binlog_retention_seconds", name));
                assertEquals(7200, value(url, "sluice_binlog_seconds_until_purge", name), "file being written");

                exec(c, "FLUSH BINARY LOGS");
                String second = masterFile(c);
                await(() -> second.equals(stats.positionFile().file()), "position follows an idle rotation");
                assertFalse(stats.positionFile().closed());
                assertEquals(7200, value(url, "sluice_binlog_seconds_until_purge", name), "new file being written");

                transaction(c, "INSERT INTO " + db + ".t VALUES (1)");
                exec(c, "FLUSH BINARY LOGS");
                await(() -> stats.positionFile().closed(), "the position's file closed under an uncommitted write");
                assertEquals(second, stats.positionFile().file());
                assertEquals(0, stats.eventsCommitted(), "the write is still uncommitted");
                double left = value(url, "sluice_binlog_seconds_until_purge", name);
                assertTrue(left < 7200 && left > 7200 - 30, "counts down from the rotation: " + left);
            }
        }
    }

    @Test
    void runServesTheEndpointAndRefusesATakenPort() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        String db = TestServers.uniqueName("admrun");
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE " + db);
        }
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
        Path dir = TestServers.directory("admin");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            settings.put(ADMIN_PORT, taken.getLocalPort());
            try (SluiceProcess p = SluiceProcess.run(TestConfigs.writeYaml(settings, dir.resolve("taken.yaml")))) {
                assertEquals(ExitCode.CONFIG.code(), p.awaitExit(WAIT), p.output());
                assertTrue(
                        p.output().contains("admin.port") && p.output().contains(":" + taken.getLocalPort()),
                        p.output());
            }
        }
        settings.put(ADMIN_PORT, 0);
        try (SluiceProcess p = SluiceProcess.run(TestConfigs.writeYaml(settings, dir.resolve("free.yaml")))) {
            p.awaitOutput("(/health, /metrics; status page at /)", WAIT);
            Matcher m = Pattern.compile("Admin endpoint on (http://127\\.0\\.0\\.1:\\d+) ")
                    .matcher(p.output());
            assertTrue(m.find(), p.output());
            String url = m.group(1);
            await(() -> status(url, "/health") == 200, "sluice run healthy");
            assertEquals(1, value(url, "sluice_streaming", "test-" + db));
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static void assertPurgeEstimateMatchesRetention(Connection c, String url, String name) throws Exception {
        long retention = Long.parseLong(scalar(c, "SELECT @@GLOBAL.binlog_expire_logs_seconds"));
        await(() -> metricOrNaN(url, "sluice_binlog_seconds_until_purge", name) >= 0, "a purge estimate");
        double left = value(url, "sluice_binlog_seconds_until_purge", name);
        if (retention == 0) {
            assertEquals(Double.POSITIVE_INFINITY, left, "a source that never purges");
        } else {
            assertTrue(left <= retention, left + " within the retention " + retention);
        }
    }

    private static void assertReadOnlyAndSecretFree(String url, String password) throws Exception {
        HttpResponse<String> post = HTTP.send(
                HttpRequest.newBuilder(URI.create(url + "/health"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(404, status(url, "/config"));
        for (String path : new String[] {"/health", "/health/live", "/metrics"}) {
            String body = get(url, path).body();
            assertFalse(body.contains(password), path + " leaks the password");
        }
        assertEquals(200, status(url, "/health/live"));
    }

    private static String masterFile(Connection c) throws Exception {
        return scalar(c, "SHOW MASTER STATUS");
    }

    private static HttpResponse<String> get(String url, String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int status(String url, String path) {
        try {
            return get(url, path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static double value(String url, String name, String pipeline) throws Exception {
        String body = get(url, "/metrics").body();
        OptionalDouble v = metric(body, name, pipeline);
        assertTrue(v.isPresent(), name + " missing from:\n" + body);
        return v.getAsDouble();
    }

    private static double metricOrNaN(String url, String name, String pipeline) {
        try {
            return metric(get(url, "/metrics").body(), name, pipeline).orElse(Double.NaN);
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** One sample of the Prometheus text format, e.g. {@code sluice_streaming{pipeline="p"} 1.0}. */
    static OptionalDouble metric(String scrape, String name, String pipeline) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{pipeline=\"" + pipeline + "\"}") + " (\\S+)$")
                .matcher(scrape);
        if (!m.find()) {
            return OptionalDouble.empty();
        }
        String v = m.group(1);
        return OptionalDouble.of(v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v));
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.holds()) {
            assertTrue(System.nanoTime() < deadline, "timed out after " + WAIT.toSeconds() + " s waiting for: " + what);
            Thread.sleep(50);
        }
    }
}
