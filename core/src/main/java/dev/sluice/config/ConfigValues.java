package dev.sluice.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Parsed, validated values of the keys in {@link ConfigKeys}; a key not set returns its default. */
public final class ConfigValues {
    private final Map<ConfigKey<?>, Object> values;

    ConfigValues(Map<ConfigKey<?>, Object> values) {
        this.values = Map.copyOf(values);
    }

    /** For tests and the demo: values given in code, validated like YAML values. */
    public static ConfigValues of(Map<ConfigKey<?>, Object> raw) {
        Map<ConfigKey<?>, Object> parsed = new LinkedHashMap<>();
        raw.forEach((key, value) -> parsed.put(key, key.parse(value)));
        ConfigValues result = new ConfigValues(parsed);
        result.checkRequired("(in code)");
        return result;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        Object value = values.get(key);
        return value == null ? key.defaultValue() : (T) value;
    }

    void checkRequired(String source) {
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            if (key.isRequired() && !values.containsKey(key)) {
                throw ConfigReader.error(source, "missing required key '" + key.name() + "': " + key.doc());
            }
        }
    }

    /** Every key and its effective value, secrets redacted: what `sluice config` prints. */
    public String describe() {
        StringJoiner out = new StringJoiner("\n");
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            Object value = get(key);
            out.add(key.name() + ": " + (key.isSecret() ? Secret.REDACTED : Redaction.redactValue(value)));
        }
        return out.toString();
    }
}
