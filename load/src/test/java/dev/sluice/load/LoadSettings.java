package dev.sluice.load;

import static dev.sluice.config.ConfigKeys.FILTER_INCLUDE;
import static dev.sluice.config.ConfigKeys.KAFKA_BOOTSTRAP_SERVERS;
import static dev.sluice.config.ConfigKeys.KAFKA_TOPIC_PREFIX;
import static dev.sluice.config.ConfigKeys.LOAD_BATCH_MS;
import static dev.sluice.config.ConfigKeys.LOAD_NAME;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigValues;
import dev.sluice.config.LoadConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loader settings every load test starts from: the capture's broker, topic prefix and filter, a consumer group of
 * its own ({@code name} and the prefix) and short batches. A test adds its target and whatever it varies.
 */
public final class LoadSettings {
    private LoadSettings() {}

    public static Map<ConfigKey<?>, Object> forCapture(Map<ConfigKey<?>, Object> capture, String name) {
        Map<ConfigKey<?>, Object> m = new LinkedHashMap<>();
        m.put(KAFKA_BOOTSTRAP_SERVERS, capture.get(KAFKA_BOOTSTRAP_SERVERS));
        m.put(KAFKA_TOPIC_PREFIX, capture.get(KAFKA_TOPIC_PREFIX));
        m.put(FILTER_INCLUDE, capture.get(FILTER_INCLUDE));
        m.put(LOAD_NAME, name + "-" + capture.get(KAFKA_TOPIC_PREFIX));
        m.put(LOAD_BATCH_MS, 100);
        return m;
    }

    public static LoadConfig config(Map<ConfigKey<?>, Object> settings) {
        return LoadConfig.from(ConfigValues.of(settings));
    }
}
