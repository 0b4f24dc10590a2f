package dev.sluice.cli;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.admin.AdminServer;
import dev.sluice.config.ConfigKey;
import dev.sluice.config.SluiceConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.monitor.CaptureAdmin;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.Browser;
import dev.sluice.testkit.TcpProxy;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The status page in a real browser (Debian's Chromium, driven through its own chromedriver) against a real
 * pipeline: the tables appear with their exact change counts, a table copy's progress bar moves, the lag and the
 * charts fill in, and the health badge turns red while the database link is blackholed and green again after.
 */
class StatusPageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COPIED_ROWS = 3000;
    private static final int STREAMED_ROWS = 25;

    @Test
    void thePageShowsTheFlowAndTheHealthOfARealPipeline() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        String db = TestServers.uniqueName("page");
        try (Connection c = server.connect();
                TcpProxy proxy = TcpProxy.start(server.host(), server.port())) {
            exec(
                    c,
                    "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".big (id INT PRIMARY KEY, pad VARCHAR(100))",
                    "CREATE TABLE " + db + ".orders (id INT PRIMARY KEY)",
                    "INSERT INTO " + db + ".big SELECT seq, REPEAT('x', 100) FROM " + db + ".seq_1_to_" + COPIED_ROWS);
            SluiceConfig config = TestConfigs.build(settings(server, db, proxy));
            PipelineStats stats = new PipelineStats();
            // The page is open before the pipeline starts, so it sees the copy from its first chunk.
            try (AdminServer admin = CaptureAdmin.start(config, stats, System::currentTimeMillis);
                    Browser browser = Browser.open(admin.url() + "/", WAIT);
                    InProcessPipeline pipeline = InProcessPipeline.start(config, stats)) {
                assertCopyProgressMoves(browser, db + ".big");
                for (int id = 1; id <= STREAMED_ROWS; id++) {
                    transaction(c, "INSERT INTO " + db + ".orders VALUES (" + id + ")");
                }
                browser.await(
                        () -> browser.text("#tables tr[data-table='" + db + ".orders'] td.num")
                                .equals(String.valueOf(STREAMED_ROWS)),
                        "the orders row counts exactly " + STREAMED_ROWS + " events");
                assertEquals(
                        STREAMED_ROWS,
                        tableStatus(admin.url(), db + ".orders").path("events").asInt());
                assertEquals(
                        0, tableStatus(admin.url(), db + ".big").path("events").asInt(), "copied rows are not changes");
                browser.await(() -> browser.text("#lag").endsWith("s"), "a lag figure");
                browser.await(
                        () -> !browser.all("figure.chart[data-series='events'] polyline")
                                .isEmpty(),
                        "the events/s chart drawn");
                browser.await(() -> browser.attribute("#health", "data-status").equals("ok"), "healthy");
                browser.screenshot("status-page.png");
                browser.resize(390, 844);
                assertTrue(browser.fitsWidth(), "readable on a phone: no sideways scrolling of the page");
                browser.screenshot("status-page-phone.png");
                browser.resize(1280, 900);
                assertTerminalViewAgrees(admin.url(), db);

                proxy.blackhole();
                browser.await(
                        () -> browser.attribute("#health", "data-status").equals("unhealthy"),
                        "unhealthy while the database link is blackholed");
                assertFalse(browser.text("#reason").isEmpty(), "the reason is shown");
                browser.screenshot("status-page-unhealthy.png");
                proxy.resetAll();
                proxy.heal();
                browser.await(
                        () -> browser.attribute("#health", "data-status").equals("ok"),
                        "healthy again after the link heals");
                browser.await(() -> !browser.all("#problems li").isEmpty(), "the lost link listed as a warning");
            }
        }
    }

    /** {@code sluice status} shows the same: healthy, the exact count, the finished copy; a dead URL is exit 4. */
    private static void assertTerminalViewAgrees(String url, String db) {
        Output status = Output.capture(() -> Main.execute("status", "--url", url));
        assertEquals(0, status.exitCode(), status.text());
        assertTrue(status.text().contains(": HEALTHY"), status.text());
        assertTrue(status.text().matches("(?s).*" + db + "\\.orders +" + STREAMED_ROWS + " .*"), status.text());
        assertTrue(status.text().matches("(?s).*" + db + "\\.big .*done, 3,000 rows.*"), status.text());
        Output dead = Output.capture(() -> Main.execute("status", "--url", "http://127.0.0.1:1"));
        assertEquals(4, dead.exitCode(), dead.text());
        assertTrue(dead.text().contains("connection refused"), dead.text());
    }

    private static Map<ConfigKey<?>, Object> settings(MariaDbServer server, String db, TcpProxy proxy) {
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
        settings.put(SOURCE_PORT, proxy.port());
        settings.put(SOURCE_HEARTBEAT_SECONDS, 1);
        settings.put(SOURCE_CONNECT_RETRY_SECONDS, 60);
        settings.put(SNAPSHOT_MODE, "initial");
        settings.put(SNAPSHOT_CHUNK_SIZE, 100);
        // Slow enough for the page to see the bar at several places.
        settings.put(SNAPSHOT_MAX_ROWS_PER_SECOND, 300);
        return settings;
    }

    /** The copy's bar is seen part-way and then further along (or done), with the page's own figures. */
    private static void assertCopyProgressMoves(Browser browser, String table) throws Exception {
        String bar = "#tables tr[data-table='" + table + "'] .progress";
        browser.await(() -> !browser.all(bar).isEmpty(), "the copy of " + table + " listed");
        double first = Double.parseDouble(browser.attribute(bar, "data-fraction"));
        assertTrue(first < 1, "seen before the copy finished: " + first);
        browser.await(
                () -> Double.parseDouble(browser.attribute(bar, "data-fraction")) > first, "the copy's bar moves");
        browser.await(() -> browser.attribute(bar, "class").contains("done"), "the copy of " + table + " shown done");
    }

    private static JsonNode tableStatus(String url, String table) throws Exception {
        for (JsonNode t : statusJson(url).path("tables")) {
            if (t.path("table").asText().equals(table)) {
                return t;
            }
        }
        return fail(table + " is not in /status.json");
    }

    private static JsonNode statusJson(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + "/status.json")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
