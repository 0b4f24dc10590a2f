package dev.sluice.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One configuration key, declared once: name, type, default, validation and help text. The YAML reader, the
 * {@code --help} text and docs/config.md all come from these declarations ({@link ConfigKeys}).
 *
 * @param <T> the parsed value type
 */
public final class ConfigKey<T> {
    /** The shape a value must have in YAML. */
    public enum Shape {
        SCALAR,
        LIST,
        MAP
    }

    private final String name;
    private final String type;
    private final Shape shape;
    private final T defaultValue;
    private final boolean required;
    private final boolean secret;
    private final String doc;
    private final Function<Object, T> parser;

    private ConfigKey(
            String name,
            String type,
            Shape shape,
            T defaultValue,
            boolean required,
            boolean secret,
            String doc,
            Function<Object, T> parser) {
        this.name = name;
        this.type = type;
        this.shape = shape;
        this.defaultValue = defaultValue;
        this.required = required;
        this.secret = secret;
        this.doc = doc;
        this.parser = parser;
    }

    public static ConfigKey<String> string(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, "string", Shape.SCALAR, defaultValue, false, false, doc, String::valueOf);
    }

    public static ConfigKey<Integer> integer(String name, int defaultValue, int min, int max, String doc) {
        return new ConfigKey<>(
                name,
                "integer",
                Shape.SCALAR,
                defaultValue,
                false,
                false,
                doc,
                raw -> checkRange(Long.parseLong(String.valueOf(raw).trim()), min, max)
                        .intValue());
    }

    public static ConfigKey<Long> longInteger(String name, long defaultValue, long min, long max, String doc) {
        return new ConfigKey<>(
                name,
                "integer",
                Shape.SCALAR,
                defaultValue,
                false,
                false,
                doc,
                raw -> checkRange(Long.parseLong(String.valueOf(raw).trim()), min, max));
    }

    public static <E extends Enum<E>> ConfigKey<E> choice(String name, E defaultValue, String doc) {
        Class<E> type = defaultValue.getDeclaringClass();
        String values = String.join(
                " | ",
                Arrays.stream(type.getEnumConstants()).map(ConfigKey::lower).toList());
        return new ConfigKey<>(
                name,
                values,
                Shape.SCALAR,
                defaultValue,
                false,
                false,
                doc,
                raw -> parseEnum(type, String.valueOf(raw), values));
    }

    public static ConfigKey<List<String>> list(String name, List<String> defaultValue, String doc) {
        return new ConfigKey<>(
                name,
                "list of strings",
                Shape.LIST,
                List.copyOf(defaultValue),
                false,
                false,
                doc,
                raw -> ((List<?>) raw).stream().map(String::valueOf).toList());
    }

    public static ConfigKey<Map<String, String>> map(String name, String doc) {
        return new ConfigKey<>(name, "map of strings", Shape.MAP, Map.of(), false, false, doc, raw -> {
            Map<String, String> out = new LinkedHashMap<>();
            ((Map<?, ?>) raw).forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
            return out;
        });
    }

    /** The key has no default; a config without it is refused. */
    public ConfigKey<T> required() {
        return new ConfigKey<>(name, type, shape, null, true, secret, doc, parser);
    }

    /** The value is never printed (logs, errors, {@code sluice config}). */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(name, type, shape, defaultValue, required, true, doc, parser);
    }

    T parse(Object raw) {
        return parser.apply(raw);
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public Shape shape() {
        return shape;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public boolean isRequired() {
        return required;
    }

    public boolean isSecret() {
        return secret;
    }

    public String doc() {
        return doc;
    }

    /** The default as a user would write it in YAML, for help and docs. */
    public String defaultText() {
        if (required) {
            return "(required)";
        }
        if (defaultValue instanceof Enum<?> e) {
            return lower(e);
        }
        if (defaultValue instanceof List<?> l) {
            return l.isEmpty() ? "[]" : new ArrayList<>(l).toString();
        }
        if (defaultValue instanceof Map<?, ?> m && m.isEmpty()) {
            return "{}";
        }
        return String.valueOf(defaultValue);
    }

    private static Long checkRange(long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String raw, String values) {
        for (E e : type.getEnumConstants()) {
            // when_needed and when-needed alike: Debezium's users write the underscore
            if (lower(e).equals(raw.trim().toLowerCase(Locale.ROOT).replace('_', '-'))) {
                return e;
            }
        }
        throw new IllegalArgumentException("must be one of " + values
                + Suggestions.closest(
                                raw,
                                Arrays.stream(type.getEnumConstants())
                                        .map(ConfigKey::lower)
                                        .toList())
                        .map(v -> " (did you mean '" + v + "'?)")
                        .orElse(""));
    }

    /** A choice as a config file spells it: {@code WHEN_NEEDED} → {@code when-needed}. */
    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
