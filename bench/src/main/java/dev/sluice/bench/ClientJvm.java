package dev.sluice.bench;

import dev.sluice.embedded.Classpath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A producer client in its own JVM (the official ProducerPerformance, or {@link WriterPerf}): started with the same
 * heap and flags for both, its output echoed to the terminal as progress and kept for parsing.
 */
final class ClientJvm {
    private ClientJvm() {}

    /** The JVM flags every client run gets; recorded in the manifest. */
    static List<String> jvmFlags(String heap) {
        return List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC");
    }

    /** Runs {@code mainClass} to completion; returns its output lines (stdout and stderr merged). */
    static List<String> run(String label, String heap, String mainClass, List<String> args, PrintStream echo) {
        List<String> cmd = new ArrayList<>(List.of(Classpath.javaExecutable().toString()));
        cmd.addAll(jvmFlags(heap));
        cmd.addAll(List.of("-cp", classpath(), mainClass));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            List<String> lines = readAll(p, label, echo);
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(label + " exited with " + exit + ":\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + label, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + label + " ran", e);
        }
    }

    private static List<String> readAll(Process p, String label, PrintStream echo) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                echo.println("  [" + label + "] " + line);
            }
        }
        return lines;
    }

    /**
     * This JVM's class path plus target/bench-classpath.txt: kafka-tools and its dependencies, which Maven keeps out
     * of Sluice's runtime class path (scope provided) and lists next to the jar at package time.
     */
    static String classpath() {
        Path tools = benchClasspathFile();
        try {
            return Files.exists(tools)
                    ? Classpath.current() + ":" + Files.readString(tools).trim()
                    : Classpath.current();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + tools, e);
        }
    }

    /** target/ holds both sluice.jar and target/classes, so the file is next to wherever the classes came from. */
    static Path benchClasspathFile() {
        try {
            Path code = Path.of(ClientJvm.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return code.toAbsolutePath().getParent().resolve("bench-classpath.txt");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the Sluice classes", e);
        }
    }
}
