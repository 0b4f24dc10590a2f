package dev.sluice.bench;

import dev.sluice.embedded.Classpath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debezium peer in its own JVM, on its own class path (none of it is on Sluice's), so that its CPU, RSS and heap
 * are measured alone, as {@link PipelineProcess} does for Sluice. Log in {@code peer.log}, GC log in {@code gc.log}.
 */
final class PeerProcess {
    private final Process process;
    private final List<String> jvmFlags;
    private final Path dir;
    private final long startedAtMs;

    private PeerProcess(Process process, List<String> jvmFlags, Path dir, long startedAtMs) {
        this.process = process;
        this.jvmFlags = jvmFlags;
        this.dir = dir;
        this.startedAtMs = startedAtMs;
    }

    static PeerProcess start(Path dir, String classpath, String heap, List<String> extraJvmFlags, Path engineConfig,
                             Path producerConfig, String tableTopic, long events) {
        List<String> flags = new ArrayList<>(List.of("-Xmx" + heap, "-Xlog:gc:file=" + dir.resolve("gc.log")));
        flags.addAll(extraJvmFlags);
        List<String> cmd = new ArrayList<>();
        cmd.add(Classpath.javaExecutable().toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", classpath, DebeziumPeer.MAIN_CLASS, engineConfig.toString(),
                producerConfig.toString(), tableTopic, Long.toString(events)));
        try {
            long startedAt = System.currentTimeMillis();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("peer.log").toFile()).start();
            return new PeerProcess(p, List.copyOf(flags), dir, startedAt);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Debezium peer JVM", e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long startedAtMs() {
        return startedAtMs;
    }

    List<String> jvmFlags() {
        return jvmFlags;
    }

    Path log() {
        return dir.resolve("peer.log");
    }

    GcLog gcLog() {
        return GcLog.parse(dir.resolve("gc.log"));
    }

    /** SIGTERM (the engine closes and flushes its offsets), then SIGKILL after 30 s; the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** The peer's own summary line ({@code PEER-STOPPED {...}}), after it stopped; empty if it printed none. */
    String stoppedSummary() {
        for (String line : lines()) {
            if (line.startsWith("PEER-STOPPED ")) {
                return line.substring("PEER-STOPPED ".length());
            }
        }
        return "";
    }

    /** A number field of the summary line, or 0. */
    long summaryField(String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":(\\d+)")
                .matcher(stoppedSummary());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    String tail() {
        List<String> lines = lines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(log());
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }
}
