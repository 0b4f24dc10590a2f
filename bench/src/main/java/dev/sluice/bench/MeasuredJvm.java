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
 * A benchmarked system in its own JVM — {@code sluice run}, or the Debezium peer on its own class path — so the
 * benchmark measures that process alone (CPU, RSS, heap), not the harness around it. Its output goes to a log in
 * {@code dir}, its GC log to {@code gc.log}.
 */
final class MeasuredJvm {
    private final Process process;
    private final List<String> jvmFlags;
    private final Path log;
    private final Path dir;
    private final long startedAtMs;

    private MeasuredJvm(Process process, List<String> jvmFlags, Path log, Path dir, long startedAtMs) {
        this.process = process;
        this.jvmFlags = jvmFlags;
        this.log = log;
        this.dir = dir;
        this.startedAtMs = startedAtMs;
    }

    /** {@code java -Xmx<heap> -Xlog:gc <extra flags> -cp <classpath> <main and args>}, output to {@code dir/logName}. */
    static MeasuredJvm launch(
            String what,
            Path dir,
            String logName,
            String heap,
            List<String> extraJvmFlags,
            String classpath,
            List<String> mainAndArgs) {
        List<String> flags = new ArrayList<>(List.of("-Xmx" + heap, "-Xlog:gc:file=" + dir.resolve("gc.log")));
        flags.addAll(extraJvmFlags);
        List<String> cmd = new ArrayList<>();
        cmd.add(Classpath.javaExecutable().toString());
        cmd.addAll(flags);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.addAll(mainAndArgs);
        Path log = dir.resolve(logName);
        try {
            long startedAt = System.currentTimeMillis();
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new MeasuredJvm(p, List.copyOf(flags), log, dir, startedAt);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the " + what + " JVM", e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Wall-clock time just before the JVM was launched. */
    long startedAtMs() {
        return startedAtMs;
    }

    List<String> jvmFlags() {
        return jvmFlags;
    }

    Path log() {
        return log;
    }

    GcLog gcLog() {
        return GcLog.parse(dir.resolve("gc.log"));
    }

    /** SIGTERM (a clean stop: Sluice commits at the next boundary, the peer flushes its offsets), SIGKILL after 30 s. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** The last {@code count} lines of the log, for error messages. */
    String tail(int count) {
        List<String> lines = lines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    List<String> lines() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }
}
