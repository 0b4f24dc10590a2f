package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice status}: what the status page shows, in the terminal, read from a running process's
 * {@code /status.json}. The story: fetch, render, and with {@code --watch} repeat every two seconds.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show a running pipeline's or loader's status (source, lag, tables, copies, warnings) from its admin "
                    + "endpoint: the terminal view of the status page at the endpoint's /.",
            ""
        })
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String TOKEN_VARIABLE = "SLUICE_ADMIN_TOKEN";

    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:9779",
            description = "The admin endpoint (admin.bind-address and admin.port; a loader's default port is 9780). "
                    + "Default: ${DEFAULT-VALUE}.")
    String url;

    @Option(names = "--watch", description = "Redraw every 2 seconds until Ctrl-C.")
    boolean watch;

    @Option(
            names = "--token-file",
            description = "A file holding admin.token, when the endpoint requires it (or set the environment "
                    + "variable " + TOKEN_VARIABLE + ").")
    Path tokenFile;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Override
    public Integer call() throws InterruptedException {
        String token = token();
        PrintStream out = System.out;
        do {
            String screen = StatusScreen.render(fetch(token), System.currentTimeMillis());
            if (watch) {
                out.print("\033[H\033[2J"); // home and clear, so the view stays in place
            }
            out.print(screen);
            out.flush();
            if (watch) {
                Thread.sleep(2000);
            }
        } while (watch);
        return 0;
    }

    private JsonNode fetch(String token) {
        URI uri = statusUri();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw unreachable(uri, "connection refused: is the process running, and is admin.port this port?");
        } catch (HttpTimeoutException e) {
            throw unreachable(uri, "no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw unreachable(uri, e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(uri, "interrupted");
        }
        return parse(uri, response);
    }

    private static JsonNode parse(URI uri, HttpResponse<String> response) {
        if (response.statusCode() == 401) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    uri + " requires admin.token: set " + TOKEN_VARIABLE + " or pass --token-file with the token "
                            + "the process was configured with.");
        }
        if (response.statusCode() == 404) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    uri + " has no status (HTTP 404): --url must name a Sluice admin endpoint, e.g. "
                            + "http://127.0.0.1:9779.");
        }
        if (response.statusCode() != 200) {
            throw new SluiceException(ExitCode.UNREACHABLE, uri + " answered HTTP " + response.statusCode() + ".");
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SluiceException(
                    ExitCode.CONFIG, uri + " did not answer with status JSON: is --url a Sluice admin endpoint?");
        }
    }

    private URI statusUri() {
        try {
            String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            URI uri = URI.create(base + "/status.json");
            if (uri.getHost() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("no http(s) host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new SluiceException(
                    ExitCode.CONFIG, "--url '" + url + "' is not an http URL such as http://127.0.0.1:9779.");
        }
    }

    private static SluiceException unreachable(URI uri, String why) {
        return new SluiceException(ExitCode.UNREACHABLE, "Cannot read " + uri + ": " + why);
    }

    private String token() {
        if (tokenFile == null) {
            String env = System.getenv(TOKEN_VARIABLE);
            return env == null || env.isBlank() ? null : env.strip();
        }
        try {
            return Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw new SluiceException(
                    ExitCode.CONFIG, "--token-file " + tokenFile + " cannot be read: " + e.getMessage());
        }
    }
}
