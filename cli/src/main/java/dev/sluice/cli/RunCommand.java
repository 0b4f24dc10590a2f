package dev.sluice.cli;

import dev.sluice.config.SluiceConfig;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.monitor.ProgressLine;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

    @Mixin
    ProcessOptions options;

    @Override
    public Integer call() throws InterruptedException {
        SluiceConfig cfg = SluiceConfig.from(options.values());
        PipelineStats stats = new PipelineStats();
        ProgressLine line = new ProgressLine(stats, System.currentTimeMillis());
        ProcessRunner.forPipeline(cfg, stats)
                .progress(options.progressEvery(), () -> log.info("{}", line.next(System.currentTimeMillis())))
                .run(Duration.ZERO);
        return 0;
    }
}
