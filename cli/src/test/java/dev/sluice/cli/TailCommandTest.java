package dev.sluice.cli;

import static dev.sluice.testkit.Sql.exec;
import static dev.sluice.testkit.Sql.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.ConfigKey;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.failure.ExitCode;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.position.BinlogPosition;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice tail} against a live pipeline: every committed change once, in order, filtered as asked; and
 * {@code sluice position show} of the stopped pipeline names the position it stopped at.
 */
class TailCommandTest {
    @Test
    void printsEachChangeOnceAndFiltersByOpKeyAndStartingGtid() throws Exception {
        MariaDbServer server = TestServers.mariadb114();
        String db = TestServers.uniqueName("tail");
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v DECIMAL(40,20))");
            Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
            BinlogPosition committed;
            Path yaml = TestConfigs.writeYaml(
                    settings,
                    Files.createDirectories(TestServers.directory("tail")).resolve("tail.yaml"));
            try (InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
                for (int id = 1; id <= 5; id++) {
                    transaction(c, "INSERT INTO " + db + ".t VALUES (" + id + ", 1.00000000000000000001)");
                }
                transaction(c, "UPDATE " + db + ".t SET v = 2 WHERE id = 3");
                transaction(c, "DELETE FROM " + db + ".t WHERE id = 4");
                awaitCommitted(pipeline, 7);
                committed = pipeline.stats().committed();
            }
            String t = db + ".t";
            List<String> all = lines(tail("--config", yaml.toString(), t));
            assertEquals(
                    List.of("c", "c", "c", "c", "c", "u", "d"),
                    all.stream().map(TailCommandTest::op).toList());
            assertTrue(all.get(0).contains("\"v\":\"1.00000000000000000001\""), "exact decimal: " + all.get(0));

            List<String> deletes = lines(tail("--config", yaml.toString(), t, "--op", "d"));
            assertEquals(1, deletes.size(), deletes.toString());
            assertTrue(deletes.get(0).contains("key {\"id\":4}"), deletes.get(0));

            assertEquals(
                    2,
                    lines(tail("--config", yaml.toString(), t, "--key", "id=3")).size());

            String updateGtid = gtidOf(all.get(5));
            List<String> fromUpdate = lines(tail("--config", yaml.toString(), t, "--from", updateGtid));
            assertEquals(
                    List.of("u", "d"),
                    fromUpdate.stream().map(TailCommandTest::op).toList());

            Output json = tail("--config", yaml.toString(), t, "--json", "--limit", "1");
            assertEquals(
                    "c",
                    new ObjectMapper()
                            .readTree(json.text().substring(0, json.text().lastIndexOf('}') + 1))
                            .path("op")
                            .asText(),
                    json.text());

            Output position = Output.capture(() -> Main.execute("position", "show", "--config", yaml.toString()));
            assertEquals(0, position.exitCode(), position.text());
            assertTrue(position.text().contains("resumes at " + committed.describe()), position.text());

            Output missing = tail("--config", yaml.toString(), db + ".nope");
            assertEquals(ExitCode.CONFIG.code(), missing.exitCode(), missing.text());
            assertTrue(missing.text().contains("does not exist"), missing.text());
        }
    }

    private static Output tail(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "tail";
        System.arraycopy(args, 0, command, 1, args.length);
        return Output.capture(() -> Main.execute(command));
    }

    /** The change lines (the summary goes to stderr, captured too, and starts with a parenthesis). */
    private static List<String> lines(Output output) {
        assertEquals(0, output.exitCode(), output.text());
        return Arrays.stream(output.text().split("\n"))
                .filter(l -> l.matches("\\d+@\\d+ .*"))
                .toList();
    }

    private static String op(String line) {
        return line.split(" ")[1];
    }

    private static String gtidOf(String line) {
        Matcher m = Pattern.compile(" gtid (\\S+)#").matcher(line);
        assertTrue(m.find(), line);
        return m.group(1);
    }

    private static void awaitCommitted(InProcessPipeline pipeline, long events) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (pipeline.stats().eventsCommitted() < events) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + pipeline.stats().eventsCommitted() + " events committed");
            }
            Thread.sleep(20);
        }
    }
}
