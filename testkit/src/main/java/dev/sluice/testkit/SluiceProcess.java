package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.embedded.Classpath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code sluice} command ({@code run}, {@code load}, ...) in its own JVM (small heap), so a test can kill -9 it or
 * let a crash point halt it. The child gets this JVM's class path: a command that is an add-on (as {@code load})
 * must be on the test class path of the module that starts it.
 */
public final class SluiceProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private SluiceProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** {@code sluice run --config config}. */
    public static SluiceProcess run(Path config, String... jvmArgs) throws IOException {
        return longRunning("run", config, jvmArgs);
    }

    /** {@code sluice load --config config}. */
    public static SluiceProcess load(Path config, String... jvmArgs) throws IOException {
        return longRunning("load", config, jvmArgs);
    }

    /** A command that runs until stopped, with its progress line out of the way of the test's markers. */
    private static SluiceProcess longRunning(String command, Path config, String... jvmArgs) throws IOException {
        return start(
                List.of(command, "--config", config.toString(), "--progress-seconds", "3600"),
                config.resolveSibling(config.getFileName() + "-" + System.nanoTime() + ".out"),
                jvmArgs);
    }

    /** {@code sluice <args...>}, its output (stdout and stderr together) written to {@code output}. */
    public static SluiceProcess start(List<String> args, Path output, String... jvmArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Classpath.javaExecutable().toString(), "-Xmx256m"));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", Classpath.current(), "dev.sluice.cli.Main"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new SluiceProcess(p, output);
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("sluice did not exit within " + timeout.toSeconds() + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Waits until a line containing {@code text} appears in the output (e.g. the resume log line). */
    public void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                fail("sluice exited (" + process.exitValue() + ") before printing '" + text + "':\n" + output());
            }
            if (System.nanoTime() > deadline) {
                fail("sluice did not print '" + text + "' within " + timeout.toSeconds() + " s:\n" + output());
            }
            Thread.sleep(20);
        }
    }

    /** Waits until {@code text} has appeared {@code count} times in the output (e.g. the second progress line). */
    public void awaitOccurrences(String text, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (output().split(java.util.regex.Pattern.quote(text), -1).length - 1 < count) {
            if (!process.isAlive()) {
                fail("sluice exited (" + process.exitValue() + ") before printing '" + text + "' " + count + " times:\n"
                        + output());
            }
            if (System.nanoTime() > deadline) {
                fail("sluice did not print '" + text + "' " + count + " times within " + timeout.toSeconds() + " s:\n"
                        + output());
            }
            Thread.sleep(20);
        }
    }

    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** kill -STOP: the process freezes mid-whatever, as in a long GC pause or a suspended VM. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** kill -CONT: the frozen process carries on as if nothing happened (a zombie, if it was replaced). */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int code = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
        if (code != 0) {
            fail("kill -" + name + " " + process.pid() + " failed with " + code);
        }
    }

    public String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            return "(cannot read output: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
