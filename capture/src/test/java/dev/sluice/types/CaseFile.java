package dev.sluice.types;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One file of the type corpus (capture/src/test/resources/types, on the test class path as {@code types/}, and in
 * the capture's test-jar for the target modules' tests): a type family's cases plus the session settings they are
 * written with (the format is in that directory's README.md).
 *
 * @param sqlMode    the session sql_mode for every statement of the file, or {@code null} for the server's default
 * @param timeZone   the session time_zone, or {@code null} for the server's (+12:45)
 * @param minVersion the oldest MariaDB version that has these types, as {@code major.minor}, or {@code null}
 */
public record CaseFile(String name, String sqlMode, String timeZone, String minVersion, List<TypeCase> cases) {
    private static final String CORPUS = "types";

    /** One line: a column type, the SQL expression inserted, and the JSON value the envelope must carry. */
    public record TypeCase(String file, int line, String columnType, String sql, String expected) {
        public String where() {
            return file + ":" + line;
        }
    }

    /**
     * Every file of the corpus, read from the class path ({@code types/} beside this class's README), whether the
     * class path holds it as a directory (the capture's own tests) or inside the test-jar (the loaders' tests).
     */
    public static List<CaseFile> loadAll() {
        URL readme = CaseFile.class.getClassLoader().getResource(CORPUS + "/README.md");
        if (readme == null) {
            throw new IllegalStateException(CORPUS + "/README.md is not on the class path: add the capture's test-jar");
        }
        try {
            URI uri = readme.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return loadAll(Path.of(uri).getParent());
            }
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return loadAll(jar.getPath(CORPUS));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<CaseFile> loadAll(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".tsv"))
                    .sorted()
                    .map(CaseFile::load)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CaseFile load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = file.getFileName().toString();
        String sqlMode = null;
        String timeZone = null;
        String minVersion = null;
        List<TypeCase> cases = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("@")) {
                String[] directive = line.substring(1).split("\\s+", 2);
                String value = directive.length > 1 ? directive[1].strip() : "";
                switch (directive[0]) {
                    case "sql_mode" -> sqlMode = value;
                    case "time_zone" -> timeZone = value;
                    case "min_version" -> minVersion = value;
                    default -> throw new IllegalArgumentException(name + ":" + (i + 1) + ": unknown directive " + line);
                }
                continue;
            }
            cases.add(parseCase(name, i + 1, line));
        }
        return new CaseFile(name, sqlMode, timeZone, minVersion, List.copyOf(cases));
    }

    /** Columns are separated by one or more tabs, so they can be aligned; values never contain a tab. */
    private static TypeCase parseCase(String file, int line, String text) {
        String[] parts =
                Arrays.stream(text.split("\t")).filter(p -> !p.isEmpty()).toArray(String[]::new);
        if (parts.length != 3) {
            throw new IllegalArgumentException(file + ":" + line + ": expected 3 tab-separated columns "
                    + "(type, SQL value, expected JSON), found " + parts.length + ": " + text);
        }
        return new TypeCase(file, line, parts[0].strip(), parts[1].strip(), parts[2].strip());
    }

    /** Whether a server version string ({@code 11.4.5-MariaDB-log}) has this file's types. */
    public boolean appliesTo(String serverVersion) {
        return minVersion == null || compareVersions(serverVersion, minVersion) >= 0;
    }

    private static int compareVersions(String version, String minimum) {
        int[] have = majorMinor(version);
        int[] need = majorMinor(minimum);
        return have[0] != need[0] ? Integer.compare(have[0], need[0]) : Integer.compare(have[1], need[1]);
    }

    private static int[] majorMinor(String version) {
        String[] parts = version.toLowerCase(Locale.ROOT).split("[.-]");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }
}
