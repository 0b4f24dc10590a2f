package dev.sluice.cli;

import dev.sluice.config.ConfigReader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.kafka.KafkaCheck;
import dev.sluice.kafka.TopicNames;
import dev.sluice.source.ServerCheck;
import dev.sluice.source.ServerInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice check}: the pre-flight of the source server, then of Kafka. Read-only on both. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Check that the source server is configured for CDC (binlog on, ROW format, FULL row image and "
                    + "row metadata, no binlog compression), that the user has the needed grants and that "
                    + "source.server-id does not collide; then that Kafka answers as a Kafka cluster. Exits 0 when "
                    + "Sluice could start, 3 with the exact fix for the source, 4 naming what is unreachable."
        })
final class CheckCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            description = "YAML config file.")
    Path config;

    @Override
    public Integer call() {
        SluiceConfig cfg = SluiceConfig.from(ConfigReader.read(config, ConfigReader.processEnv()));
        ServerInfo info = new ServerCheck(cfg.source()).run();
        System.out.println("OK: " + cfg.source().address() + " is " + info.flavor() + " " + info.version()
                + " (server_id " + info.serverId() + "), binlog at "
                + info.current().describe()
                + ", oldest available " + info.earliest().describe());
        TopicNames names = new TopicNames(cfg.kafka().topicPrefix());
        KafkaCheck.Report kafka = KafkaCheck.run(cfg.kafka(), List.of(names.positions(), names.schemas()));
        System.out.println("OK: Kafka at " + cfg.kafka().bootstrapServers() + " is cluster " + kafka.clusterId()
                + " (" + kafka.brokers() + " broker(s)); "
                + (kafka.missingTopics().isEmpty()
                        ? "the pipeline's internal topics exist"
                        : "Sluice creates " + String.join(", ", kafka.missingTopics()) + " at its first start (it "
                                + "needs CREATE on them, or create them beforehand)")
                + ".");
        return 0;
    }
}
