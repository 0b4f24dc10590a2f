package dev.sluice.config;

import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * Every key and its effective value as YAML that can be pasted back into a config file, secrets redacted and
     * defaults marked: what {@code sluice config show} prints.
     */
    public String describe() {
        return EffectiveConfig.yaml(this::valueOrDefault, values::containsKey);
    }

    /** The same as JSON: per key its value, whether it is the default, whether it is a secret. */
    public String describeJson() {
        return EffectiveConfig.json(this::valueOrDefault, values::containsKey);
    }
}
