package dev.sluice.peer.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A child process whose output goes to a file, watched for marker lines; measured through /proc. */
final class ChildJvm {
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux x86-64
    private final String name;
    private final Process process;
    private final Path log;
    private final long startedAtMs;

    private ChildJvm(String name, Process process, Path log, long startedAtMs) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startedAtMs = startedAtMs;
    }

    static ChildJvm java(String name, Path log, List<String> jvmFlags, String classpath, String mainClass,
                         List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return start(name, log, cmd);
    }

    static ChildJvm start(String name, Path log, List<String> cmd) {
        try {
            Files.createDirectories(log.getParent());
            long started = System.currentTimeMillis();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ChildJvm(name, p, log, started);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    /** Runs a command to completion; fails with its output if it does not exit 0. */
    static void run(String name, Path log, List<String> cmd, int timeoutSeconds) throws InterruptedException {
        ChildJvm c = start(name, log, cmd);
        if (!c.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            c.process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish in " + timeoutSeconds + " s:\n" + c.tail(20));
        }
        if (c.process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited " + c.process.exitValue() + ":\n" + c.tail(30));
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    long startedAtMs() {
        return startedAtMs;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> lines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            // a line being written that is not valid UTF-8 yet; try again next time
            return List.of();
        }
    }

    Optional<String> line(String prefix) {
        return lines().stream().filter(l -> l.startsWith(prefix)).findFirst();
    }

    /** Waits for a line starting with {@code prefix}; fails early on {@code failPrefix} or if the process exits. */
    String await(String prefix, String failPrefix, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            for (String l : lines()) {
                if (l.startsWith(prefix)) {
                    return l;
                }
                if (failPrefix != null && l.startsWith(failPrefix)) {
                    throw new IllegalStateException(name + ": " + l + "\n" + tail(40));
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited " + process.exitValue() + " before " + prefix + ":\n"
                        + tail(40));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + ": no " + prefix + " within " + timeoutSeconds + " s:\n" + tail(40));
    }

    /** user + system CPU seconds so far, from /proc/PID/stat. */
    double cpuSeconds() {
        return cpuSeconds(Path.of("/proc", Long.toString(pid()), "stat"));
    }

    /** user + system CPU seconds of any process (or thread: /proc/PID/task/TID/stat), 0 if it is gone. */
    static double cpuSeconds(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU seconds per thread name (threads of one name summed), largest first, the first {@code n}. */
    String topThreads(int n) {
        Map<String, Double> byName = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String comm = Files.readString(t.resolve("comm")).trim().replaceAll("\\d+$", "#");
                byName.merge(comm, cpuSeconds(t.resolve("stat")), Double::sum);
            }
        } catch (IOException e) {
            return "?";
        }
        return byName.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(n)
                .map(e -> String.format(java.util.Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Peak resident set (VmHWM) in MiB. */
    long peakRssMiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }

    /** The largest heap in use before a collection, from a -Xlog:gc file ("... 120M->30M(256M) ..."), in MiB. */
    static long peakHeapMiB(Path gcLog) {
        Pattern p = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
        long peak = -1;
        try {
            for (String l : Files.readAllLines(gcLog)) {
                Matcher m = p.matcher(l);
                if (m.find()) {
                    peak = Math.max(peak, Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return peak;
    }

    /** SIGTERM, then waits for the exit (SIGKILL after 60 s). */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    String tail(int n) {
        List<String> l = lines();
        return String.join("\n", l.subList(Math.max(0, l.size() - n), l.size()));
    }
}
