package dev.sluice.load.postgresql;

import static dev.sluice.config.ConfigKeys.TARGET_TYPE;
import static dev.sluice.config.ConfigKeys.TARGET_URL;
import static dev.sluice.config.ConfigKeys.TARGET_USER;

import dev.sluice.config.ConfigKey;
import dev.sluice.load.LoadSettings;
import dev.sluice.testkit.TestPostgres;
import java.util.Map;

/** {@link LoadSettings} aimed at a test's PostgreSQL database. */
final class PostgresSettings {
    private PostgresSettings() {}

    static Map<ConfigKey<?>, Object> forCapture(Map<ConfigKey<?>, Object> capture, TestPostgres target, String name) {
        Map<ConfigKey<?>, Object> m = LoadSettings.forCapture(capture, name);
        m.put(TARGET_TYPE, "postgresql");
        m.put(TARGET_URL, target.url());
        m.put(TARGET_USER, TestPostgres.USER);
        return m;
    }
}
