package dev.sluice.load.postgresql;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.admin.AdminServer;
import dev.sluice.config.ConfigKey;
import dev.sluice.config.LoadConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.load.InProcessLoader;
import dev.sluice.load.LoadAdmin;
import dev.sluice.load.LoadSettings;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.Browser;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestPostgres;
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
 * A loader's status page in a real browser (Debian's Chromium) against a live capture and PostgreSQL: the loaded
 * table appears with exactly the events written, the lag drains to zero, the rows-applied chart fills in.
 */
class LoadStatusPageTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int ROWS = 40;

    @Test
    void theLoadersPageShowsEachTableLoadedAndItsLag() throws Exception {
        MariaDbServer source = TestServers.mariadb114();
        String db = TestServers.uniqueName("lpage");
        try (TestPostgres target = TestPostgres.freshDatabase("lpage");
                Connection src = source.connect()) {
            exec(src, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".items (id INT PRIMARY KEY, v INT)");
            Map<ConfigKey<?>, Object> capture = TestConfigs.forDatabase(source, db);
            LoadConfig config = loadConfig(capture, target);
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(capture));
                    InProcessLoader loader = InProcessLoader.start(config);
                    AdminServer admin = LoadAdmin.start(config, loader.stats(), System::currentTimeMillis);
                    Browser browser = Browser.open(admin.url() + "/", WAIT)) {
                for (int id = 1; id <= ROWS; id++) {
                    transaction(src, "INSERT INTO " + db + ".items VALUES (" + id + ", " + id + ")");
                }
                String row = "#loaded tr[data-table='" + db + ".items']";
                browser.await(
                        () -> browser.text(row + " td:nth-child(2)").equals(String.valueOf(ROWS)),
                        "exactly " + ROWS + " events loaded into " + db + ".items");
                browser.await(() -> browser.text("#loader-lag").equals("0"), "the loader's lag drained to 0");
                browser.await(() -> browser.text(row + " td:nth-child(3)").equals("0"), "the table's lag at 0");
                browser.await(
                        () -> !browser.all("figure.chart[data-series='rows'] polyline")
                                .isEmpty(),
                        "the rows-applied chart drawn");
                browser.await(() -> browser.attribute("#health", "data-status").equals("ok"), "healthy");
                browser.screenshot("load-status-page.png");
                JsonNode status = statusJson(admin.url());
                assertEquals("load", status.path("kind").asText());
                assertEquals(ROWS, status.path("loader").path("events").asInt(), status.toString());
                assertEquals(
                        config.load().name(),
                        status.path("loader").path("group").asText());
            }
        }
    }

    private static LoadConfig loadConfig(Map<ConfigKey<?>, Object> capture, TestPostgres target) {
        Map<ConfigKey<?>, Object> m = PostgresSettings.forCapture(capture, target, "page");
        m.put(LOAD_ADMIN_PORT, 0);
        return LoadSettings.config(m);
    }

    private static JsonNode statusJson(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + "/status.json")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }
}
