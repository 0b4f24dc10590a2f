package dev.sluice.testkit;

import static dev.sluice.config.ConfigKeys.*;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigValues;
import dev.sluice.config.SluiceConfig;
import dev.sluice.embedded.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Pipeline configurations for tests: one database, its own topic prefix and pipeline name. */
public final class TestConfigs {
    private TestConfigs() {}

    /** Settings capturing only {@code database}; tweak the returned map before {@link #build}. */
    public static Map<ConfigKey<?>, Object> forDatabase(MariaDbServer server, String database) {
        Map<ConfigKey<?>, Object> m = new LinkedHashMap<>();
        m.put(SOURCE_HOST, server.host());
        m.put(SOURCE_PORT, server.port());
        m.put(SOURCE_USER, "root");
        m.put(SOURCE_PASSWORD, "");
        m.put(SOURCE_SERVER_ID, ThreadLocalRandom.current().nextLong(10_000, 1_000_000));
        m.put(SOURCE_CONNECT_RETRY_SECONDS, 5);
        m.put(KAFKA_BOOTSTRAP_SERVERS, TestServers.kafka().bootstrapServers());
        m.put(KAFKA_TOPIC_PREFIX, "t_" + database);
        m.put(KAFKA_CONNECT_RETRY_SECONDS, 5);
        m.put(PIPELINE_NAME, "test-" + database);
        m.put(PIPELINE_COMMIT_INTERVAL_MS, 20);
        m.put(FILTER_INCLUDE, List.of(database + ".*"));
        // Streaming tests create their tables after the pipeline starts; snapshot tests set initial themselves.
        m.put(SNAPSHOT_MODE, "never");
        // A free port each: tests (and other test runs on the machine) start several pipelines at once.
        m.put(ADMIN_PORT, 0);
        return m;
    }

    public static SluiceConfig build(Map<ConfigKey<?>, Object> settings) {
        return SluiceConfig.from(ConfigValues.of(settings));
    }

    /** The same settings as a YAML file, for a pipeline in its own JVM. */
    public static Path writeYaml(Map<ConfigKey<?>, Object> settings, Path file) throws java.io.IOException {
        StringBuilder yaml = new StringBuilder();
        settings.forEach((key, value) -> {
            if (value instanceof List<?> list) {
                yaml.append(key.name()).append(": [");
                for (int i = 0; i < list.size(); i++) {
                    yaml.append(i > 0 ? ", " : "")
                            .append('"')
                            .append(list.get(i))
                            .append('"');
                }
                yaml.append("]\n");
            } else if (value instanceof Map<?, ?> map) {
                yaml.append(key.name()).append(":\n");
                map.forEach((k, v) ->
                        yaml.append("  \"").append(k).append("\": \"").append(v).append("\"\n"));
            } else {
                yaml.append(key.name()).append(": \"").append(value).append("\"\n");
            }
        });
        Files.createDirectories(file.getParent());
        return Files.writeString(file, yaml.toString());
    }
}
