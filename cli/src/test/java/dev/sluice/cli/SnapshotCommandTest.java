package dev.sluice.cli;

import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.config.ConfigKey;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.snapshot.Copies;
import dev.sluice.snapshot.TableWriter;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code sluice snapshot}: a request taken by the running pipeline, and the requests it refuses. */
class SnapshotCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private final MariaDbServer server = TestServers.mariadb114();

    /** {@code sluice snapshot --table --where} while the pipeline runs: exactly the matching rows are copied. */
    @Test
    void onDemandCopyWithWhereWhileThePipelineRuns() throws Exception {
        String db = TestServers.uniqueName("snapreq");
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE " + db);
            TableWriter.createAndFill(c, db + ".big", 2_000);
        }
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db); // snapshot.mode never
        Path yaml = TestConfigs.writeYaml(
                settings, TestServers.directory("cfg-" + db).resolve("s.yaml"));
        try (TopicReader topics = reader(db);
                InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
            assertEquals(
                    2,
                    Main.execute("snapshot", "--config", yaml.toString(), "--table", db + ".missing"),
                    "a table that does not exist is refused");
            assertEquals(
                    2,
                    Main.execute(
                            "snapshot",
                            "--config",
                            yaml.toString(),
                            "--table",
                            db + ".big",
                            "--where",
                            "no_such_column > 1"),
                    "an invalid condition is refused");
            assertEquals(
                    0,
                    Main.execute(
                            "snapshot",
                            "--config",
                            yaml.toString(),
                            "--table",
                            db + ".big",
                            "--where",
                            "id BETWEEN 101 AND 350"));
            List<Rec> records = topics.readUntil(
                    recs -> recs.stream().filter(r -> "r".equals(r.op())).count() >= 250, WAIT, "250 copied rows");
            Copies.awaitCopied(pipeline.stats(), db + ".big");
            records = topics.drain(Duration.ofSeconds(1));
            List<Long> ids = records.stream()
                    .filter(r -> "r".equals(r.op()))
                    .map(r -> r.after().path("id").asLong())
                    .sorted()
                    .toList();
            assertEquals(
                    java.util.stream.LongStream.rangeClosed(101, 350).boxed().toList(), ids);
        }
    }

    private static TopicReader reader(String db) {
        return new TopicReader(
                TestServers.kafka().bootstrapServers(), Pattern.compile("t_" + Pattern.quote(db) + "\\..*"));
    }
}
