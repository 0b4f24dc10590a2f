package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.admin.AdminServer;
import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.config.SluiceConfig;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.monitor.CaptureAdmin;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RELIABILITY.md's security rule for the admin endpoint: loopback by default, a token whenever it is exposed. */
class AdminTokenTest {
    private static final String TOKEN = "s3cret-admin-token-canary";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void anAddressReachableFromOtherHostsWithoutATokenIsRefusedNamingTheKeys() {
        Map<ConfigKey<?>, Object> settings = settings();
        settings.put(ConfigKeys.ADMIN_BIND_ADDRESS, "0.0.0.0");
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> CaptureAdmin.start(TestConfigs.build(settings), new PipelineStats(), System::currentTimeMillis));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertTrue(
                e.getMessage().contains("admin.bind-address is 0.0.0.0")
                        && e.getMessage().contains("admin.token"),
                e.getMessage());
    }

    @Test
    void withATokenEveryPathRequiresItAndNoResponseShowsIt() throws Exception {
        Map<ConfigKey<?>, Object> settings = settings();
        settings.put(ConfigKeys.ADMIN_TOKEN, TOKEN);
        SluiceConfig config = TestConfigs.build(settings);
        try (AdminServer admin = CaptureAdmin.start(config, new PipelineStats(), System::currentTimeMillis)) {
            for (String path : new String[] {"/", "/status.json", "/health/live", "/health", "/metrics"}) {
                HttpResponse<String> none = get(admin.url() + path, null);
                assertEquals(401, none.statusCode(), path + " without a token");
                assertEquals(
                        401, get(admin.url() + path, "Bearer " + TOKEN + "x").statusCode(), path + " wrong token");
                assertEquals(
                        401,
                        get(admin.url() + path, "Bearer " + TOKEN.substring(1)).statusCode(),
                        path + " a prefix of the token");
                HttpResponse<String> ok = get(admin.url() + path, "Bearer " + TOKEN);
                assertTrue(
                        ok.statusCode() == 200 || path.equals("/health") && ok.statusCode() == 503,
                        path + " with the token: " + ok.statusCode());
                assertFalse(none.body().contains(TOKEN) || ok.body().contains(TOKEN), path + " never shows the token");
                assertTrue(
                        none.headers()
                                .allValues("WWW-Authenticate")
                                .contains("Basic realm=\"sluice\", charset=\"UTF-8\""),
                        "a browser is asked for the token: " + none.headers());
                assertEquals(
                        ok.statusCode(),
                        get(admin.url() + path, basic("any-user", TOKEN)).statusCode(),
                        path);
                assertEquals(
                        401,
                        get(admin.url() + path, basic("any-user", TOKEN + "x")).statusCode(),
                        path);
                assertEquals(401, get(admin.url() + path, "Basic not-base64!").statusCode(), path);
            }
            assertStatusCommandUsesTheTokenFile(admin.url());
        }
        assertFalse(config.toString().contains(TOKEN), "the token is redacted in the config");
    }

    /** {@code sluice status} reads the token from --token-file; without it, it says which token it needs. */
    private static void assertStatusCommandUsesTheTokenFile(String url) throws Exception {
        Path tokenFile = Files.writeString(
                Files.createDirectories(TestServers.directory("admin-token")).resolve("token"), TOKEN + "\n");
        Output with = Output.capture(() -> Main.execute("status", "--url", url, "--token-file", tokenFile.toString()));
        assertEquals(0, with.exitCode(), with.text());
        assertTrue(with.text().contains("Sluice capture"), with.text());
        assertFalse(with.text().contains(TOKEN), "the token is never printed");
        Output without = Output.capture(() -> Main.execute("status", "--url", url));
        assertEquals(ExitCode.CONFIG.code(), without.exitCode(), without.text());
        assertTrue(without.text().contains("SLUICE_ADMIN_TOKEN"), without.text());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<ConfigKey<?>, Object> settings() {
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(TestServers.mariadb114(), "admin_token");
        settings.put(ConfigKeys.ADMIN_PORT, 0);
        return settings;
    }

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
