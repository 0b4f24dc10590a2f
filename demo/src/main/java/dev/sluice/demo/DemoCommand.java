package dev.sluice.demo;

import static dev.sluice.config.ConfigKeys.*;

import dev.sluice.cli.AddOnCommand;
import dev.sluice.cli.ProcessRunner;
import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys.StartFrom;
import dev.sluice.config.ConfigValues;
import dev.sluice.config.SluiceConfig;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.monitor.ProgressLine;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice demo}: the whole pipeline on an embedded MariaDB and a local Kafka broker, with nothing to set up. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Start an embedded MariaDB 11.4 (binlog on, ROW format, FULL row metadata, GTIDs) and a local "
                    + "Kafka broker, create a small shop schema with a background workload of multi-row transactions, "
                    + "and stream it into Kafka exactly once. Prints a progress line every second and a few sample "
                    + "events. Ctrl-C stops cleanly; running it again resumes where it stopped.",
            "Nothing is installed: the servers come from Maven Central jars; state lives in --work-dir."
        })
public final class DemoCommand implements Callable<Integer>, AddOnCommand {
    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description =
                    "Where the demo keeps its servers' data " + "(default ${DEFAULT-VALUE}). Delete it to start over.",
            defaultValue = "${sys:user.home}/.sluice/demo")
    Path workDir;

    @Option(
            names = "--rate",
            paramLabel = "TX/S",
            defaultValue = "50",
            description = "Source transactions per second of the shop workload (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            defaultValue = "0",
            description = "Stop by itself after this many seconds (default 0: run until Ctrl-C).")
    int durationSeconds;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "3",
            description = "Sample events to print at the start; then one every 15 s (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(
            names = "--admin-port",
            paramLabel = "PORT",
            defaultValue = "9779",
            description = "Port of the admin endpoint on 127.0.0.1 (the status page at /, /health, /metrics; default "
                    + "${DEFAULT-VALUE}; 0 "
                    + "picks a free port, -1 turns it off).")
    int adminPort;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        out.println("Sluice demo: starting an embedded MariaDB and a Kafka broker in " + workDir + " ...");
        DemoEnvironment env = DemoEnvironment.start(workDir);
        try {
            env.prepareSource();
        } catch (Exception e) {
            env.close();
            throw e;
        }
        out.println("MariaDB " + env.mariadb().version() + " on 127.0.0.1:"
                + env.mariadb().port()
                + ", Kafka on " + env.kafka().bootstrapServers() + ". Topics: demo.shop.customers, demo.shop.orders, "
                + "demo.shop.order_items, demo._schema_changes.");
        if (adminPort > 0) {
            out.println("Status page: http://127.0.0.1:" + adminPort + "/ (or bin/sluice status in another terminal).");
        }
        SluiceConfig config = config(env, adminPort);
        PipelineStats stats = new PipelineStats();
        ShopWorkload workload = new ShopWorkload(env.mariadb().connect(), rate, System.nanoTime());
        LiveView view = new LiveView(env.kafka().bootstrapServers(), "demo", out, samples);
        startDaemon(workload, "demo-workload");
        startDaemon(view, "demo-view");
        ProgressLine line = new ProgressLine(stats, System.currentTimeMillis());
        ProcessRunner.forPipeline(config, stats)
                .beforeStop(() -> {
                    workload.stop();
                    view.stop();
                })
                .afterStop(() -> {
                    out.println("Stopped at "
                            + (stats.committed() == null
                                    ? "-"
                                    : stats.committed().describe())
                            + ". Run `bin/sluice demo` again to resume from there.");
                    env.close();
                })
                .progress(
                        Duration.ofSeconds(1),
                        () -> out.println(line.next(System.currentTimeMillis()) + " | end-to-end "
                                + (view.lastLagMs() < 0 ? "-" : view.lastLagMs() + " ms")))
                .run(Duration.ofSeconds(durationSeconds));
        return 0;
    }

    private static SluiceConfig config(DemoEnvironment env, int adminPort) {
        Map<ConfigKey<?>, Object> m = new LinkedHashMap<>();
        m.put(SOURCE_HOST, env.mariadb().host());
        m.put(SOURCE_PORT, env.mariadb().port());
        m.put(SOURCE_USER, DemoEnvironment.USER);
        m.put(SOURCE_PASSWORD, DemoEnvironment.PASSWORD);
        m.put(KAFKA_BOOTSTRAP_SERVERS, env.kafka().bootstrapServers());
        m.put(KAFKA_TOPIC_PREFIX, "demo");
        m.put(PIPELINE_NAME, "sluice-demo");
        m.put(PIPELINE_START, StartFrom.EARLIEST.name());
        m.put(SNAPSHOT_MODE, "never");
        m.put(FILTER_INCLUDE, List.of("shop.*"));
        m.put(ADMIN_PORT, adminPort);
        return SluiceConfig.from(ConfigValues.of(m));
    }

    private static void startDaemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }
}
