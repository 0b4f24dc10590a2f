package dev.sluice.cli;

import dev.sluice.config.Suggestions;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import org.apache.kafka.common.utils.AppInfoParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code sluice <command>}. Maps a {@link SluiceException} to its exit code and a one-line error. */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Sluice moves every committed row change of MySQL/MariaDB into Kafka, exactly once.", ""})
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        LogSettings.applyFrom(args);
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        addCommands(cli);
        for (String name : new String[] {"run", "check", "snapshot", "load"}) {
            CommandLine command = cli.getSubcommands().get(name);
            if (command != null) {
                command.getCommandSpec().usageMessage().footer(ConfigHelp.helpFooter());
            }
        }
        cli.getCommandSpec().usageMessage().footer("", "Exit codes: " + ExitCode.summary() + ".");
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof SluiceException s) {
                commandLine.getErr().println("sluice: " + s.getMessage());
                return s.exitCode().code();
            }
            commandLine.getErr().println("sluice: internal error: " + e);
            e.printStackTrace(commandLine.getErr());
            return ExitCode.INTERNAL.code();
        });
        cli.setParameterExceptionHandler(Main::usageError);
        String unknown = unknownCommand(cli, args);
        if (unknown != null) {
            cli.getErr().println("sluice: " + unknown);
            return ExitCode.CONFIG.code();
        }
        return cli.execute(args);
    }

    /**
     * A mistyped command is named with the closest command, even with {@code --help} after it (which picocli would
     * otherwise answer with the top-level usage and exit 0, as if all were well).
     */
    private static String unknownCommand(CommandLine cli, String[] args) {
        if (args.length == 0 || args[0].startsWith("-") || cli.getSubcommands().containsKey(args[0])) {
            return null;
        }
        return "unknown command '" + args[0] + "'"
                + Suggestions.didYouMean(args[0], cli.getSubcommands().keySet()) + " Commands: "
                + String.join(", ", cli.getSubcommands().keySet()) + ".";
    }

    /**
     * A usage error names what was wrong — an unknown option first, with the closest one, since it usually explains
     * the rest (a mistyped --config is also a missing --config) — and where the help is, not the whole help.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        List<String> unmatched = command.getParseResult() == null
                ? List.of()
                : command.getParseResult().unmatched();
        String unknownOption =
                unmatched.stream().filter(a -> a.startsWith("-")).findFirst().orElse(null);
        if (unknownOption != null) {
            String name = unknownOption.contains("=")
                    ? unknownOption.substring(0, unknownOption.indexOf('='))
                    : unknownOption;
            command.getErr()
                    .println("sluice: unknown option '" + name + "'"
                            + Suggestions.didYouMean(
                                    name, command.getCommandSpec().optionsMap().keySet()));
        } else {
            command.getErr().println("sluice: " + e.getMessage());
        }
        command.getErr().println("Usage: " + command.getCommandSpec().qualifiedName() + " --help shows every option.");
        return ExitCode.CONFIG.code();
    }

    /**
     * The product's commands, with the add-on commands found on the class path in their places: {@code demo} after
     * {@code run} (the first thing a newcomer runs), {@code bench} and any other after {@code config}.
     */
    private static void addCommands(CommandLine cli) {
        Map<String, AddOnCommand> addOns = new LinkedHashMap<>();
        for (AddOnCommand command : ServiceLoader.load(AddOnCommand.class)) {
            addOns.put(new CommandLine(command).getCommandName(), command);
        }
        cli.addSubcommand(new RunCommand());
        addIfPresent(cli, addOns.remove("demo"));
        cli.addSubcommand(new CheckCommand());
        cli.addSubcommand(new SnapshotCommand());
        cli.addSubcommand(new StatusCommand());
        cli.addSubcommand(new TailCommand());
        cli.addSubcommand(new PositionCommand());
        cli.addSubcommand(new ConfigCommand());
        addOns.values().forEach(command -> addIfPresent(cli, command));
        cli.addSubcommand(new CommandLine.HelpCommand());
    }

    private static void addIfPresent(CommandLine cli, AddOnCommand command) {
        if (command != null) {
            cli.addSubcommand(command);
        }
    }

    /**
     * {@code sluice --version}: Sluice's version and the commit it was built from, and the versions of the two
     * libraries that speak the wire protocols (what a bug report needs first).
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            Properties build = resource("build.properties");
            String commit = build.getProperty("git.commit.id.abbrev", "unknown");
            return new String[] {
                "sluice " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (commit " + commit + ", "
                        + build.getProperty("git.commit.time", "date unknown") + ")",
                "kafka-clients " + AppInfoParser.getVersion(),
                "mysql-binlog-connector-java "
                        + resource("/META-INF/maven/io.debezium/mysql-binlog-connector-java/pom.properties")
                                .getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }

        private static Properties resource(String name) {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream(name)) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // An unreadable stamp leaves the field "unknown": --version must answer regardless.
            }
            return p;
        }
    }
}
