package dev.sluice.load.duckdb;

import static dev.sluice.config.ConfigKeys.*;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigValues;
import dev.sluice.config.LoadConfig;
import dev.sluice.failure.SluiceException;
import dev.sluice.load.LoadStats;
import dev.sluice.load.Target;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens the DuckDB target at {@code args[0]} as {@code sluice load} does, in its own JVM (for JVM options the test's
 * own JVM must not get), and prints {@code OPENED} or {@code REFUSED <exit code> <message>}.
 */
public final class OpenTarget {
    private OpenTarget() {}

    public static void main(String[] args) {
        try (Target target = new DuckDbDriver().open(config(args[0]), new LoadStats())) {
            System.out.println("OPENED " + target.describe());
        } catch (SluiceException e) {
            System.out.println("REFUSED " + e.exitCode().code() + " " + e.getMessage());
        }
    }

    static LoadConfig config(String file) {
        Map<ConfigKey<?>, Object> m = new LinkedHashMap<>();
        m.put(KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:9");
        m.put(KAFKA_TOPIC_PREFIX, "lake");
        m.put(LOAD_NAME, "lake");
        m.put(TARGET_TYPE, "duckdb");
        m.put(TARGET_URL, "jdbc:duckdb:" + file);
        return LoadConfig.from(ConfigValues.of(m));
    }
}
