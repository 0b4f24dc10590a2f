package dev.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A started server process: stop (SIGTERM, then SIGKILL), kill -9, pause/resume, and the tail of its log. */
final class ChildProcess {
    private final Process process;
    private final String name;

    ChildProcess(Process process, String name) {
        this.process = process;
        this.name = name;
    }

    /**
     * Servers start in a session of their own: a Ctrl-C in the terminal signals the whole foreground process group,
     * and a broker shutting down at the same moment as the pipeline's last commit left that commit hanging for 30 s.
     * Their owner stops them, in order, after the pipeline has stopped.
     */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    static ChildProcess start(List<String> command, Path log, String name) {
        try {
            Files.createDirectories(log.getParent());
            List<String> detached = new java.util.ArrayList<>();
            if (Files.isExecutable(SETSID)) {
                detached.add(SETSID.toString()); // setsid(2) then exec: the same pid, no extra process
            }
            detached.addAll(command);
            Process p = new ProcessBuilder(detached)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildProcess(p, name);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + command.get(0), e);
        }
    }

    /** Runs a command to completion (for init steps); throws with its output when it fails. */
    static void runToCompletion(List<String> command, Path log, String name) {
        ChildProcess child = start(command, log, name);
        try {
            if (!child.process.waitFor(120, TimeUnit.SECONDS) || child.process.exitValue() != 0) {
                child.process.destroyForcibly();
                throw new IllegalStateException(name + " failed: " + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + name, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void signal(String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String name() {
        return name;
    }

    /** Waits between readiness polls; an interrupt aborts the start it belongs to. */
    static void pause(long ms, String waitingFor) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + waitingFor, e);
        }
    }

    static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
