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
 * {@code sluice run} in its own JVM, as an operator would run it: the benchmark measures that process alone (CPU,
 * RSS, heap), not the harness around it. Its log goes to {@code pipeline.log} and its GC log to {@code gc.log} in
 * {@code dir}.
 */
public final class PipelineProcess {
    private final Process process;
    private final List<String> jvmFlags;
    private final Path dir;
    private final long startedAtMs;

    private PipelineProcess(Process process, List<String> jvmFlags, Path dir, long startedAtMs) {
        this.process = process;
        this.jvmFlags = jvmFlags;
        this.dir = dir;
        this.startedAtMs = startedAtMs;
    }

    public static PipelineProcess start(Path config, String heap, List<String> extraJvmFlags) {
        Path dir = config.toAbsolutePath().getParent();
        List<String> flags = new ArrayList<>(List.of("-Xmx" + heap, "-Xlog:gc:file=" + dir.resolve("gc.log")));
        flags.addAll(extraJvmFlags);
        List<String> cmd = new ArrayList<>();
        cmd.add(Classpath.javaExecutable().toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", Classpath.current(), "dev.sluice.cli.Main", "run", "--config",
                config.toAbsolutePath().toString(), "--progress-seconds", "5"));
        try {
            long startedAt = System.currentTimeMillis();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pipeline.log").toFile()).start();
            return new PipelineProcess(p, List.copyOf(flags), dir, startedAt);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the pipeline JVM", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Wall-clock time just before the JVM was launched. */
    public long startedAtMs() {
        return startedAtMs;
    }

    public List<String> jvmFlags() {
        return jvmFlags;
    }

    public Path log() {
        return dir.resolve("pipeline.log");
    }

    public GcLog gcLog() {
        return GcLog.parse(dir.resolve("gc.log"));
    }

    /** SIGTERM (a clean stop: the pipeline commits at the next boundary), then SIGKILL after 30 s; the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** The last lines of the pipeline's log, for error messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
