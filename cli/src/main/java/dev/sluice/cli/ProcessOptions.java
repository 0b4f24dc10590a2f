package dev.sluice.cli;

import dev.sluice.config.ConfigReader;
import dev.sluice.config.ConfigValues;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every long-running command has ({@code run}, {@code load}): its config file and progress period. */
public final class ProcessOptions {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "YAML config file (every key: `sluice config reference`, docs/config.md).")
    Path config;

    @Option(
            names = "--progress-seconds",
            defaultValue = "10",
            paramLabel = "N",
            description = "Log a progress line every N seconds (default ${DEFAULT-VALUE}).")
    int progressSeconds;

    /** The config file's values, with ${ENV} substituted from this process's environment. */
    public ConfigValues values() {
        return ConfigReader.read(config, ConfigReader.processEnv());
    }

    public Duration progressEvery() {
        return Duration.ofSeconds(progressSeconds);
    }
}
