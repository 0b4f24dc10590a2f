package dev.sluice.cli;

import dev.sluice.config.ConfigReader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.monitor.ProgressLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice run --config sluice.yaml}: the pipeline against the user's own server and Kafka. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Stream every committed row change of the configured MySQL/MariaDB server into Kafka, exactly "
                    + "once, until stopped (Ctrl-C or SIGTERM stop cleanly). A restart resumes from the position "
                    + "committed in Kafka."
        },
        footerHeading = "%n",
        footer = "")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("sluice.progress");

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "YAML config file (see the keys below and docs/config.md).")
    Path config;

    @Option(
            names = "--progress-seconds",
            defaultValue = "10",
            paramLabel = "N",
            description = "Log a progress line every N seconds (default ${DEFAULT-VALUE}).")
    int progressSeconds;

    @Override
    public Integer call() throws InterruptedException {
        SluiceConfig cfg = SluiceConfig.from(ConfigReader.read(config, ConfigReader.processEnv()));
        PipelineStats stats = new PipelineStats();
        ProgressLine line = new ProgressLine(stats, System.currentTimeMillis());
        ProcessRunner.forPipeline(cfg, stats)
                .progress(
                        Duration.ofSeconds(progressSeconds),
                        () -> log.info("{}", line.next(System.currentTimeMillis())))
                .run(Duration.ZERO);
        return 0;
    }
}
