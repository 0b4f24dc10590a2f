package dev.sluice.cli;

import dev.sluice.config.ConfigReader;
import dev.sluice.config.ConfigValues;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice config show|reference}. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Show the effective configuration (secrets redacted) or print the configuration reference.")
final class ConfigCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "show | reference", paramLabel = "ACTION")
    String action;

    @Option(
            names = {"-c", "--config"},
            description = "YAML config file (for 'show').")
    Path config;

    @Option(names = "--json", description = "For 'show': JSON instead of YAML (per key: value, default, secret).")
    boolean json;

    @Override
    public Integer call() {
        switch (action) {
            case "reference" -> System.out.print(ConfigHelp.markdownReference());
            case "show" -> {
                if (config == null) {
                    throw new picocli.CommandLine.ParameterException(
                            new picocli.CommandLine(this), "'config show' needs --config <file>");
                }
                ConfigValues values = ConfigReader.read(config, ConfigReader.processEnv());
                System.out.print(json ? values.describeJson() : values.describe());
            }
            default ->
                throw new picocli.CommandLine.ParameterException(
                        new picocli.CommandLine(this), "unknown action '" + action + "': use show or reference");
        }
        return 0;
    }
}
