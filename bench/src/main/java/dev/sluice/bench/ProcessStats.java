package dev.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time and memory of a running process, read from {@code /proc}: utime+stime of {@code /proc/<pid>/stat} in
 * clock ticks ({@code getconf CLK_TCK}), peak and current resident set size (VmHWM, VmRSS) of
 * {@code /proc/<pid>/status}. Linux only; read while the process is alive (the numbers vanish with it).
 */
public final class ProcessStats {
    private static final long CLOCK_TICKS = clockTicks();

    private ProcessStats() {}

    /** One reading of a process. */
    public record Sample(long pid, double cpuSeconds, long peakRssBytes, long rssBytes) {
        /** CPU seconds spent since {@code earlier} (a reading of the same process). */
        public double cpuSince(Sample earlier) {
            return cpuSeconds - earlier.cpuSeconds;
        }
    }

    public static Sample sample(long pid) {
        return new Sample(pid, cpuSeconds(pid), statusKb(pid, "VmHWM:") * 1024, statusKb(pid, "VmRSS:") * 1024);
    }

    /**
     * CPU seconds of each thread of a process by thread name (Linux truncates names to 15 characters; numbered
     * siblings such as {@code GC Thread#0} and {@code GC Thread#1} are summed as {@code GC Thread#*}), largest first.
     * Tells the pipeline's own threads from the JIT compiler and the garbage collector without a profiler.
     */
    public static Map<String, Double> threadCpuSeconds(long pid) {
        Map<String, Double> byName = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat = readIfPresent(task.resolve("stat"));
                if (stat != null) {
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("#\\d+$", "#*");
                    byName.merge(name, cpuSecondsOf(stat), Double::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the threads of process " + pid, e);
        }
        return sortedByValue(byName);
    }

    private static Map<String, Double> sortedByValue(Map<String, Double> map) {
        Map<String, Double> sorted = new LinkedHashMap<>();
        map.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
        return sorted;
    }

    /** Per-thread CPU spent between two readings of {@link #threadCpuSeconds}, largest first. */
    public static Map<String, Double> threadCpuSince(Map<String, Double> earlier, Map<String, Double> later) {
        Map<String, Double> delta = new HashMap<>();
        later.forEach((name, cpu) -> delta.put(name, cpu - earlier.getOrDefault(name, 0.0)));
        return sortedByValue(delta);
    }

    /**
     * CPU seconds all processes of the machine have spent busy since boot (first line of /proc/stat: user, nice,
     * system, irq, softirq, steal). The difference over a window, minus the bench's own processes, is what the other
     * tenants of a shared machine used meanwhile.
     */
    public static double machineBusySeconds() {
        String[] f = read(Path.of("/proc/stat")).split("\n", 2)[0].trim().split("\\s+");
        long ticks = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
            ticks += Long.parseLong(f[i]);
        }
        return ticks / (double) CLOCK_TICKS;
    }

    public static long clockTicksPerSecond() {
        return CLOCK_TICKS;
    }

    /** utime + stime; fields 14 and 15 of /proc/pid/stat, counted after the command name, which may hold spaces. */
    static double cpuSeconds(long pid) {
        return cpuSecondsOf(read(Path.of("/proc", Long.toString(pid), "stat")));
    }

    private static double cpuSecondsOf(String stat) {
        return ticksOf(stat, 14, 15) / (double) CLOCK_TICKS;
    }

    /**
     * cutime + cstime (fields 16 and 17) of a {@code /proc/<pid>/stat} line: the CPU of the children the process has
     * waited for. Read from a shell that ran a tool to completion, it is the tool's CPU, which its own stat no
     * longer shows once it has exited.
     */
    static double childrenCpuSecondsOf(String stat) {
        return ticksOf(stat, 16, 17) / (double) CLOCK_TICKS;
    }

    /** The sum of two numeric fields, counted after the command name, which may hold spaces and parentheses. */
    private static long ticksOf(String stat, int field, int otherField) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        return Long.parseLong(fields[field - 3]) + Long.parseLong(fields[otherField - 3]);
    }

    private static long statusKb(long pid, String key) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    /** A thread may end between listing and reading it. */
    private static String readIfPresent(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException gone) {
            return null;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " (has the process exited?)", e);
        }
    }

    /** USER_HZ is 100 on every common Linux build, but the brief is to ask rather than assume. */
    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder(List.of("getconf", "CLK_TCK"))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
