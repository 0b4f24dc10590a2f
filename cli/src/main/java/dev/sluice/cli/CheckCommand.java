package dev.sluice.cli;

import dev.sluice.config.ConfigReader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.source.ServerCheck;
import dev.sluice.source.ServerInfo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice check}: the pre-flight check of the source server alone. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Check that the source server is configured for CDC (binlog on, ROW format, FULL row image and "
                    + "row metadata, no binlog compression), that the user has the needed grants and that "
                    + "source.server-id does not collide. Exits 0 when Sluice could start, 3 with the exact fix when not."
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
        return 0;
    }
}
