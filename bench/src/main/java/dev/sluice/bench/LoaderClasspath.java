package dev.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class path {@code bin/sluice load} runs the loader with: each target module ({@code load-*}) with its
 * dependencies, as the package phase listed them; none of the bench's or the demo's.
 */
final class LoaderClasspath {
    private LoaderClasspath() {}

    static String of(Path repository) {
        List<String> parts = new ArrayList<>();
        try (DirectoryStream<Path> modules = Files.newDirectoryStream(repository, "load-*")) {
            for (Path module : modules) {
                String name = module.getFileName().toString();
                Path jar = module.resolve("target").resolve("sluice-" + name + ".jar");
                Path deps = module.resolve("target").resolve("classpath.txt");
                if (!Files.isRegularFile(jar) || !Files.isRegularFile(deps)) {
                    throw new IllegalStateException("The loader module " + name + " is not built (no " + jar
                            + "); build with: mvn -B -q -DskipTests package");
                }
                parts.add(jar
                        + java.io.File.pathSeparator
                        + Files.readString(deps).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the loader modules in " + repository, e);
        }
        if (parts.isEmpty()) {
            throw new IllegalStateException("No load-* module in " + repository);
        }
        return String.join(java.io.File.pathSeparator, parts);
    }
}
