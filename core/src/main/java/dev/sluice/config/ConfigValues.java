package dev.sluice.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Parsed, validated values of the keys in {@link ConfigKeys}; a key not set returns its default. A required key is
 * required by the process that reads it ({@code run} needs {@code source.user}, {@code load} needs
 * {@code target.url}): reading one that is not set is the error, naming the file, so one file can configure both.
 */
public final class ConfigValues {
    private final Map<ConfigKey<?>, Object> values;
    private final String source;

    ConfigValues(Map<ConfigKey<?>, Object> values, String source) {
        this.values = Map.copyOf(values);
        this.source = source;
    }

    /** For tests and the demo: values given in code, validated like YAML values. */
    public static ConfigValues of(Map<ConfigKey<?>, Object> raw) {
        Map<ConfigKey<?>, Object> parsed = new LinkedHashMap<>();
        raw.forEach((key, value) -> parsed.put(key, key.parse(value)));
        return new ConfigValues(parsed, "(in code)");
    }

    /** The value of {@code key}; its default when not set; refused when the key is required and not set. */
    public <T> T get(ConfigKey<T> key) {
        if (key.isRequired() && !values.containsKey(key)) {
            throw ConfigReader.error(source, "missing required key '" + key.name() + "': " + key.doc());
        }
        return valueOrDefault(key);
    }

    @SuppressWarnings("unchecked")
    private <T> T valueOrDefault(ConfigKey<T> key) {
        Object value = values.get(key);
        return value == null ? key.defaultValue() : (T) value;
    }

    /** Every key and its effective value, secrets redacted: what `sluice config` prints. */
    public String describe() {
        StringJoiner out = new StringJoiner("\n");
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            Object value = valueOrDefault(key);
            out.add(key.name() + ": " + (key.isSecret() ? Secret.REDACTED : Redaction.redactValue(value)));
        }
        return out.toString();
    }
}
