package dev.sluice.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a YAML config file into {@link ConfigValues}. Nested mappings become dotted key names
 * ({@code source: {port: 3306}} is {@code source.port}). Every error names the file, the line and the key; an
 * unknown key is an error, not a warning, because a misspelt key silently falling back to its default is how
 * production surprises happen. {@code ${NAME}} and {@code ${NAME:-default}} in values are replaced from the
 * environment.
 */
public final class ConfigReader {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Map<String, ConfigKey<?>> KEYS_BY_NAME =
            ConfigKeys.ALL.stream().collect(Collectors.toMap(ConfigKey::name, k -> k));

    private final String source;
    private final Map<String, String> env;

    private ConfigReader(String source, Map<String, String> env) {
        this.source = source;
        this.env = env;
    }

    public static ConfigValues read(Path file, Map<String, String> env) {
        try {
            return parse(file.toString(), Files.readString(file), env);
        } catch (NoSuchFileException e) {
            throw error(file.toString(), "config file not found. Pass an existing file with --config.");
        } catch (IOException e) {
            throw error(file.toString(), "cannot read config file: " + e.getMessage());
        }
    }

    public static ConfigValues parse(String source, String yaml, Map<String, String> env) {
        ConfigReader reader = new ConfigReader(source, env);
        Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first != null) {
                if (first != JsonToken.START_OBJECT) {
                    throw reader.errorAt(parser, "the top level must be a mapping of keys (e.g. 'source:')");
                }
                reader.readObject(parser, "", values);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? source
                    : source + ":" + e.getLocation().getLineNr();
            throw error(
                    where,
                    "malformed YAML: "
                            + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw error(source, "cannot read YAML: " + e.getMessage());
        }
        return new ConfigValues(values, source);
    }

    private void readObject(JsonParser parser, String prefix, Map<ConfigKey<?>, Object> out) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String path = prefix.isEmpty() ? parser.currentName() : prefix + "." + parser.currentName();
            int line = parser.currentLocation().getLineNr();
            JsonToken valueToken = parser.nextToken();
            ConfigKey<?> key = KEYS_BY_NAME.get(path);
            if (key != null) {
                if (out.containsKey(key)) {
                    throw error(source + ":" + line, "key '" + path + "' is set twice");
                }
                out.put(key, parseValue(key, readRaw(parser, key, valueToken, line), line));
            } else if (isSection(path)) {
                if (valueToken != JsonToken.START_OBJECT) {
                    throw error(
                            source + ":" + line,
                            "'" + path + "' is a section: put its keys under it, e.g. " + "'" + path
                                    + ":' followed by indented 'key: value' lines");
                }
                readObject(parser, path, out);
            } else {
                throw error(
                        source + ":" + line,
                        "unknown key '" + path + "'" + Suggestions.didYouMean(path, KEYS_BY_NAME.keySet())
                                + suggestion(path));
            }
        }
    }

    private Object readRaw(JsonParser parser, ConfigKey<?> key, JsonToken token, int line) throws IOException {
        return switch (key.shape()) {
            case SCALAR -> {
                if (!token.isScalarValue()) {
                    throw error(source + ":" + line, "key '" + key.name() + "' takes a single " + key.type());
                }
                yield substitute(parser.getText(), key, line);
            }
            case LIST -> readList(parser, key, token, line);
            case MAP -> {
                if (token != JsonToken.START_OBJECT) {
                    throw error(source + ":" + line, "key '" + key.name() + "' takes a mapping of name: value");
                }
                Map<String, String> map = new LinkedHashMap<>();
                readFlatMap(parser, "", map, key, line);
                yield map;
            }
        };
    }

    private List<String> readList(JsonParser parser, ConfigKey<?> key, JsonToken token, int line) throws IOException {
        List<String> list = new ArrayList<>();
        if (token.isScalarValue()) {
            list.add(substitute(parser.getText(), key, line));
            return list;
        }
        if (token != JsonToken.START_ARRAY) {
            throw error(source + ":" + line, "key '" + key.name() + "' takes a list, e.g. [\"shop.*\"]");
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (!parser.currentToken().isScalarValue()) {
                throw error(source + ":" + line, "key '" + key.name() + "' takes a list of strings");
            }
            list.add(substitute(parser.getText(), key, line));
        }
        return list;
    }

    private void readFlatMap(JsonParser parser, String prefix, Map<String, String> out, ConfigKey<?> key, int line)
            throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = prefix + parser.currentName();
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                readFlatMap(parser, name + ".", out, key, line);
            } else if (token.isScalarValue()) {
                out.put(
                        name,
                        substitute(
                                parser.getText(), key, parser.currentLocation().getLineNr()));
            } else {
                throw error(
                        source + ":" + parser.currentLocation().getLineNr(),
                        "key '" + key.name() + "." + name + "' takes a single value");
            }
        }
    }

    private Object parseValue(ConfigKey<?> key, Object raw, int line) {
        try {
            return key.parse(raw);
        } catch (RuntimeException e) {
            String reason = e instanceof NumberFormatException ? "must be a whole number" : e.getMessage();
            String shown = key.isSecret() ? "" : " (got '" + raw + "')";
            throw error(source + ":" + line, "key '" + key.name() + "' " + reason + shown);
        }
    }

    private String substitute(String text, ConfigKey<?> key, int line) {
        Matcher m = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                throw error(
                        source + ":" + line,
                        "key '" + key.name() + "' refers to environment variable " + m.group(1)
                                + ", which is not set (use ${" + m.group(1) + ":-default} for a default)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean isSection(String path) {
        return KEYS_BY_NAME.keySet().stream().anyMatch(name -> name.startsWith(path + "."));
    }

    private static String suggestion(String path) {
        String section = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
        List<String> siblings = KEYS_BY_NAME.keySet().stream()
                .filter(name -> section.isEmpty() ? true : name.startsWith(section + "."))
                .sorted()
                .toList();
        return siblings.isEmpty()
                ? ""
                : ". Known keys" + (section.isEmpty() ? "" : " under '" + section + "'") + ": "
                        + String.join(", ", siblings);
    }

    private SluiceException errorAt(JsonParser parser, String message) {
        return error(source + ":" + parser.currentLocation().getLineNr(), message);
    }

    static SluiceException error(String where, String message) {
        return new SluiceException(ExitCode.CONFIG, "Config error in " + where + ": " + message);
    }

    /** The process environment, for {@link #read}. */
    public static Map<String, String> processEnv() {
        return new HashMap<>(System.getenv());
    }
}
