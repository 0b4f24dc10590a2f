package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.embedded.Classpath;
import dev.sluice.failure.ExitCode;
import dev.sluice.testkit.TestServers;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code --log-format json}: every log line a JSON object a log shipper can read, the secret in none of them. */
class LogFormatTest {
    private static final String PASSWORD = "canary-log-7c1e";

    @Test
    void jsonLogsAreOneObjectPerLineAndTheErrorStaysReadable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path dir = Files.createDirectories(TestServers.directory("logformat"));
        Path config = Files.writeString(
                dir.resolve("unreachable.yaml"),
                "source:\n  host: 127.0.0.1\n  port: " + closedPort + "\n  user: cdc\n  password: " + PASSWORD
                        + "\n  connect-retry-seconds: 3\nkafka:\n  bootstrap-servers: 127.0.0.1:" + closedPort
                        + "\nadmin:\n  port: -1\n");
        Process p = new ProcessBuilder(
                        Classpath.javaExecutable().toString(),
                        "-cp",
                        Classpath.current(),
                        "dev.sluice.cli.Main",
                        "run",
                        "--config",
                        config.toString(),
                        "--log-format",
                        "json")
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(ExitCode.UNREACHABLE.code(), p.exitValue(), output);
        assertFalse(output.contains(PASSWORD), output);
        List<String> logLines = output.lines().filter(l -> l.startsWith("{")).toList();
        assertFalse(logLines.isEmpty(), "log lines in JSON: " + output);
        ObjectMapper json = new ObjectMapper();
        boolean sawRetryWarning = false;
        for (String line : logLines) {
            JsonNode entry = json.readTree(line);
            assertTrue(entry.has("timestamp") && entry.has("level") && entry.has("loggerName"), line);
            sawRetryWarning |= entry.path("level").asText().equals("WARN")
                    && entry.path("formattedMessage").asText().contains("127.0.0.1:" + closedPort);
        }
        assertTrue(sawRetryWarning, "the retry warning names the address: " + output);
        assertTrue(output.lines().anyMatch(l -> l.startsWith("sluice: Could not reach the source")), output);
        assertTrue(
                output.lines().allMatch(l -> l.startsWith("{") || l.startsWith("sluice: ")),
                "no plain log line in JSON mode: " + output);
    }
}
