package dev.sluice.cli;

import java.util.Locale;
import java.util.Set;

/**
 * {@code --log-level} and {@code --log-format} take effect before the first log line: logging is configured once,
 * when first used, so {@link Main#main} reads them from the arguments before anything logs. picocli validates them
 * again ({@link ProcessOptions}) and names a bad value.
 */
final class LogSettings {
    private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");

    private LogSettings() {}

    static void applyFrom(String[] args) {
        String level = value(args, "--log-level");
        if (level != null && LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
            System.setProperty("sluice.log.level", level.toUpperCase(Locale.ROOT));
        }
        if ("json".equalsIgnoreCase(value(args, "--log-format"))) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
    }

    private static String value(String[] args, String option) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith(option + "=")) {
                return args[i].substring(option.length() + 1);
            }
            if (args[i].equals(option) && i + 1 < args.length) {
                return args[i + 1];
            }
        }
        return null;
    }
}
