package dev.sluice.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code sluice config show} prints: every key with its effective value in the file's own spelling (dotted
 * names, lower-case choices), secrets redacted by declaration and Kafka properties by {@link Redaction}. The YAML
 * can be pasted back into a config file; defaults carry a {@code # default} comment.
 */
final class EffectiveConfig {
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build())
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private EffectiveConfig() {}

    static String yaml(Function<ConfigKey<?>, Object> value, Function<ConfigKey<?>, Boolean> isSet) {
        StringBuilder out = new StringBuilder();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            Object shown = shown(key, value.apply(key));
            if (shown == null) {
                out.append("# ").append(key.name()).append(":  (not set)\n");
                continue;
            }
            String comment = key.isSecret() ? "  # secret: never shown" : isSet.apply(key) ? "" : "  # default";
            if (shown instanceof Map<?, ?> map && !map.isEmpty()) {
                out.append(key.name()).append(":").append(comment).append('\n');
                map.forEach((k, v) -> out.append("  ")
                        .append(scalar(k))
                        .append(": ")
                        .append(scalar(v))
                        .append('\n'));
            } else {
                out.append(key.name())
                        .append(": ")
                        .append(scalar(shown))
                        .append(comment)
                        .append('\n');
            }
        }
        return out.toString();
    }

    static String json(Function<ConfigKey<?>, Object> value, Function<ConfigKey<?>, Boolean> isSet) {
        ObjectNode root = JSON.createObjectNode();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            ObjectNode entry = root.putObject(key.name());
            entry.putPOJO("value", shown(key, value.apply(key)));
            entry.put("default", !isSet.apply(key));
            entry.put("secret", key.isSecret());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value as the file spells it; a secret as the redaction marker. */
    private static Object shown(ConfigKey<?> key, Object value) {
        if (key.isSecret()) {
            return value == null ? null : Secret.REDACTED;
        }
        if (value instanceof Enum<?> e) {
            return ConfigKey.lower(e);
        }
        if (value instanceof Duration d) {
            return d.toMillis();
        }
        if (value instanceof Map<?, ?>) {
            return Redaction.redactValue(value);
        }
        if (value instanceof List<?> list) {
            return List.copyOf(list);
        }
        return value;
    }

    /** One YAML value in flow style, quoted only where YAML needs it. */
    private static String scalar(Object value) {
        if (value == null) {
            return "null";
        }
        try {
            if (value instanceof List<?> list) {
                StringBuilder flow = new StringBuilder("[");
                for (int i = 0; i < list.size(); i++) {
                    flow.append(i == 0 ? "" : ", ").append(scalar(list.get(i)));
                }
                return flow.append(']').toString();
            }
            if (value instanceof Map<?, ?> map && map.isEmpty()) {
                return "{}";
            }
            return YAML.writeValueAsString(value).strip();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
