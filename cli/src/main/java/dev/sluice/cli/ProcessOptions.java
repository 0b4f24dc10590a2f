package dev.sluice.cli;

import dev.sluice.config.ConfigReader;
import dev.sluice.config.ConfigValues;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every long-running command has ({@code run}, {@code load}): its config file and progress period. */
public final class ProcessOptions {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "YAML config file (every key: `sluice config reference`, docs/config.md).")
    Path config;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    int progressSeconds;

    @Option(
            names = "--progress-seconds",
            defaultValue = "10",
            paramLabel = "N",
            description = "Log a progress line every N seconds (default ${DEFAULT-VALUE}; 0 turns it off).")
    void progressSeconds(int seconds) {
        if (seconds < 0) {
            throw new ParameterException(
                    command.commandLine(),
                    "--progress-seconds " + seconds + " is negative: give a number of seconds, or 0 to turn the "
                            + "progress line off.");
        }
        progressSeconds = seconds;
    }

    /** Read by {@link LogSettings} before logging starts; declared here so help shows them and picocli checks them. */
    enum LogLevel {
        error,
        warn,
        info,
        debug,
        trace
    }

    enum LogFormat {
        text,
        json
    }

    @Option(
            names = "--log-level",
            defaultValue = "info",
            paramLabel = "LEVEL",
            description = "Sluice's own log level: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    LogLevel logLevel;

    @Option(
            names = "--log-format",
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "text (default) or json: one JSON object per line, for log shippers.")
    LogFormat logFormat;

    /** The config file's values, with ${ENV} substituted from this process's environment. */
    public ConfigValues values() {
        return ConfigReader.read(config, ConfigReader.processEnv());
    }

    /** Zero when progress lines are off. */
    public Duration progressEvery() {
        return Duration.ofSeconds(progressSeconds);
    }
}
