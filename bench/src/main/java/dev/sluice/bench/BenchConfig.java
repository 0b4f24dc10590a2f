package dev.sluice.bench;

import static dev.sluice.config.ConfigKeys.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.config.ConfigReader;
import dev.sluice.config.ConfigValues;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's YAML config for a benchmark run. Only what the run needs is set; everything else (commit interval,
 * batch size, partitions) stays at Sluice's defaults, because the defaults are what users get. {@code earliest}
 * makes a fresh pipeline start at the beginning of the fresh server's binlog, i.e. before the backlog.
 */
public final class BenchConfig {
    public static final String TOPIC_PREFIX = "sluice";
    public static final String PIPELINE = "sluice-bench";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchConfig() {}

    public static Path write(Path file, MariaDbServer mariadb, KafkaBroker kafka) {
        return write(file, mariadb, kafka, TOPIC_PREFIX, PIPELINE);
    }

    /** The same config with its own topics and pipeline name: a run that shares nothing with earlier runs. */
    public static Path write(
            Path file, MariaDbServer mariadb, KafkaBroker kafka, String topicPrefix, String pipelineName) {
        return write(file, mariadb, kafka, topicPrefix, pipelineName, Map.of());
    }

    /** The same, with {@code settings} added or replacing the bench's own (e.g. another filter or start). */
    public static Path write(
            Path file,
            MariaDbServer mariadb,
            KafkaBroker kafka,
            String topicPrefix,
            String pipelineName,
            Map<ConfigKey<?>, Object> settings) {
        Map<ConfigKey<?>, Object> m = new LinkedHashMap<>();
        m.put(SOURCE_HOST, mariadb.host());
        m.put(SOURCE_PORT, mariadb.port());
        m.put(SOURCE_USER, "root");
        m.put(SOURCE_PASSWORD, "");
        m.put(KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        m.put(KAFKA_TOPIC_PREFIX, topicPrefix);
        m.put(PIPELINE_NAME, pipelineName);
        m.put(PIPELINE_START, "earliest");
        m.put(SNAPSHOT_MODE, "never");
        m.put(FILTER_INCLUDE, List.of("bench.*"));
        m.put(ADMIN_PORT, 0); // a free port: the fixed default may be taken by a demo or another run
        m.putAll(settings);
        StringBuilder yaml = new StringBuilder("# Written by `sluice bench`.\n");
        m.forEach((key, value) ->
                yaml.append(key.name()).append(": ").append(yamlValue(value)).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** Every setting the pipeline will run with, defaults included, secrets left out: for the manifest. */
    public static ObjectNode effective(Path file) {
        ConfigValues values = ConfigReader.read(file, Map.of());
        ObjectNode node = JSON.createObjectNode();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            node.set(key.name(), key.isSecret() ? JSON.valueToTree("(redacted)") : JSON.valueToTree(values.get(key)));
        }
        return node;
    }

    private static String yamlValue(Object value) {
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                out.append(i > 0 ? ", " : "").append('"').append(list.get(i)).append('"');
            }
            return out.append(']').toString();
        }
        return "\"" + value + "\"";
    }
}
