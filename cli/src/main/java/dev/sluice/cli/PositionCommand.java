package dev.sluice.cli;

import static dev.sluice.config.ConfigKeys.PIPELINE_NAME;

import dev.sluice.config.ConfigReader;
import dev.sluice.config.ConfigValues;
import dev.sluice.config.SluiceConfig;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.PositionStore;
import dev.sluice.kafka.TopicNames;
import dev.sluice.position.Checkpoint;
import dev.sluice.position.TableCopy;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice position show}: where a pipeline would resume — the position committed in Kafka with its events,
 * and the state of its table copies — read as the pipeline reads it at start, without starting it.
 */
@Command(
        name = "position",
        mixinStandardHelpOptions = true,
        description = {
            "Show where a pipeline resumes: the position committed in Kafka (GTID, binlog file and offset) and its "
                    + "table copies.",
            ""
        })
final class PositionCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ACTION", description = "show")
    String action;

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "The pipeline's YAML config (its pipeline.name and kafka section).")
    Path config;

    @Override
    public Integer call() {
        if (!action.equals("show")) {
            throw new SluiceException(ExitCode.CONFIG, "unknown action '" + action + "': use show.");
        }
        ConfigValues values = ConfigReader.read(config, ConfigReader.processEnv());
        SluiceConfig.Kafka kafka = SluiceConfig.kafka(values);
        String pipeline = values.get(PIPELINE_NAME);
        TopicNames names = new TopicNames(kafka.topicPrefix());
        System.out.print(describe(pipeline, names.positions(), read(kafka, names, pipeline)));
        return 0;
    }

    private static Optional<Checkpoint> read(SluiceConfig.Kafka kafka, TopicNames names, String pipeline) {
        try {
            return PositionStore.readCheckpoint(kafka, names, pipeline);
        } catch (KafkaException e) {
            throw new SluiceException(
                    ExitCode.UNREACHABLE,
                    "Cannot read " + names.positions() + " from Kafka at " + kafka.bootstrapServers() + ": "
                            + e.getMessage() + ". Is the broker running, and is kafka.bootstrap-servers right?");
        }
    }

    static String describe(String pipeline, String topic, Optional<Checkpoint> stored) {
        if (stored.isEmpty()) {
            return "No position stored for pipeline '" + pipeline + "' in " + topic + ": it has not committed yet, "
                    + "or it ran under another pipeline.name or kafka.topic-prefix. Its first start begins at "
                    + "pipeline.start.\n";
        }
        Checkpoint c = stored.get();
        StringBuilder out = new StringBuilder();
        out.append("Pipeline '")
                .append(pipeline)
                .append("' resumes at ")
                .append(c.position().describe())
                .append('\n');
        out.append("  (the last position committed in ").append(topic).append(")\n");
        for (TableCopy t : c.snapshots().tables()) {
            out.append(String.format(
                    "  copy of %s%s: %s, %,d rows in %,d chunks%s%n",
                    t.qualifiedName(),
                    t.where().isEmpty() ? "" : " where " + t.where(),
                    t.state().name().toLowerCase(java.util.Locale.ROOT),
                    t.rowsCopied(),
                    t.chunks(),
                    t.estimatedRows() >= 0 ? " (~" + String.format("%,d", t.estimatedRows()) + " estimated)" : ""));
        }
        return out.toString();
    }
}
