package dev.sluice.load;

import dev.sluice.cli.AddOnCommand;
import dev.sluice.cli.ProcessOptions;
import dev.sluice.cli.ProcessRunner;
import dev.sluice.config.LoadConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice load --config F}: the change topics into the configured target, exactly once. */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description = {
            "Load the change topics of a capture (kafka.topic-prefix, filter.*) into the target database "
                    + "(target.*), exactly once: each batch is applied in one target transaction together with the "
                    + "Kafka offsets it covers, and every upsert and delete is guarded by the row's source version, "
                    + "so a restart, a rebalance, a replay or a second loader never applies a change twice or moves "
                    + "a row backwards. Tables are created and evolved from the capture's schema topic. Loaders with "
                    + "the same load.name share the work (a Kafka consumer group). Ctrl-C or SIGTERM apply what is "
                    + "in hand and stop. Details: docs/load.md."
        })
public final class LoadCommand implements Callable<Integer>, AddOnCommand {
    private static final Logger log = LoggerFactory.getLogger("sluice.progress");

    @Mixin
    ProcessOptions options;

    @Option(
            names = "--dry-run",
            description = "Print the DDL the loader would run in the target (its own tables, and a CREATE TABLE or "
                    + "ALTER TABLEs for every table of the schema topic that filter.* takes), change nothing, exit.")
    boolean dryRun;

    @Override
    public Integer call() throws InterruptedException {
        LoadConfig cfg = LoadConfig.from(options.values());
        if (dryRun) {
            return printPlan(cfg);
        }
        LongSupplier clock = System::currentTimeMillis;
        LoadStats stats = new LoadStats();
        Loader loader = new Loader(cfg, stats, clock);
        LoadProgress line = new LoadProgress(stats, clock.getAsLong());
        new ProcessRunner(job(loader), cfg.admin().enabled() ? () -> LoadAdmin.start(cfg, stats, clock) : null)
                .progress(options.progressEvery(), () -> log.info("{}", line.next(clock.getAsLong())))
                .run(Duration.ZERO);
        return 0;
    }

    private static int printPlan(LoadConfig cfg) {
        List<String> statements = new Loader(cfg, new LoadStats(), System::currentTimeMillis).plan();
        statements.forEach(sql -> System.out.println(sql.startsWith("--") ? sql : sql + ";"));
        return 0;
    }

    private static ProcessRunner.Job job(Loader loader) {
        return new ProcessRunner.Job() {
            @Override
            public void run() throws InterruptedException {
                loader.run();
            }

            @Override
            public void stop() {
                loader.stop();
            }
        };
    }
}
