package dev.sluice.bench;

import dev.sluice.embedded.MariaDbServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code mariadb-dump --single-transaction} of a table into a file: the ceiling a logical copy of the table sets,
 * from the server's own C client. Timed from launch to exit; its CPU comes from the shell that waited for it
 * ({@link ProcessStats#childrenCpuSecondsOf}), since an exited process has no {@code /proc} entry to read. Without
 * TLS ({@code --skip-ssl}), as the JDBC driver connects by default. The rows are counted in the file afterwards:
 * INSERT statements plus row separators, {@code "),("} (10.x) or {@code "),\n("} (11.x writes a row per line);
 * the generated values contain neither, and a dump escapes newlines inside strings.
 */
final class MariaDbDump {
    private MariaDbDump() {}

    /**
     * One dump: time, bytes written, rows found in the file, the CPU of the tool and of the server, and of every
     * process on the machine over the same time.
     */
    record Run(
            double seconds,
            long bytes,
            long rowsInFile,
            double cpuSeconds,
            double mariadbCpuSeconds,
            double harnessCpuSeconds,
            double machineCpuSeconds,
            List<String> command) {
        /** CPU the rest of the (shared) machine used meanwhile. */
        double othersCpuSeconds() {
            return machineCpuSeconds - cpuSeconds - mariadbCpuSeconds - harnessCpuSeconds;
        }
    }

    /** The dump command line, without the output redirection. */
    static List<String> command(MariaDbServer server, String database, String table) {
        return List.of(
                server.binaries().dumpTool().toString(),
                "--no-defaults",
                "--skip-ssl",
                "--user=root",
                "--host=" + server.host(),
                "--port=" + server.port(),
                "--single-transaction",
                database,
                table);
    }

    /** Dumps {@code database.table} into {@code out} (deleted afterwards: only its size and row count are kept). */
    static Run run(MariaDbServer server, String database, String table, Path out) throws InterruptedException {
        List<String> dump = command(server, database, table);
        // sh runs the dump with its output in the file, then prints its own stat line, children's CPU included.
        List<String> cmd = new ArrayList<>(
                List.of("sh", "-c", "\"$0\" \"$@\" > \"$DUMP_FILE\"; rc=$?; cat /proc/$$/stat; exit $rc"));
        cmd.addAll(dump);
        ProcessStats.Sample before = ProcessStats.sample(server.pid());
        ProcessStats.Sample harness =
                ProcessStats.sample(ProcessHandle.current().pid());
        double machine = ProcessStats.machineBusySeconds();
        long started = System.nanoTime();
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(cmd)
                    .redirectError(
                            out.resolveSibling(out.getFileName() + ".err").toFile());
            builder.environment().put("DUMP_FILE", out.toAbsolutePath().toString());
            Process p = builder.start();
            String stat = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int exit = p.waitFor();
            double seconds = (System.nanoTime() - started) / 1e9;
            double mariadbCpu = ProcessStats.sample(server.pid()).cpuSince(before);
            double harnessCpu =
                    ProcessStats.sample(ProcessHandle.current().pid()).cpuSince(harness);
            double machineCpu = ProcessStats.machineBusySeconds() - machine;
            if (exit != 0) {
                throw new IllegalStateException("mariadb-dump exited with " + exit + "; see " + out + ".err");
            }
            long bytes = Files.size(out);
            long rows = countRows(out);
            return new Run(
                    seconds,
                    bytes,
                    rows,
                    ProcessStats.childrenCpuSecondsOf(stat),
                    mariadbCpu,
                    harnessCpu,
                    machineCpu,
                    dump);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + dump.get(0), e);
        } finally {
            deleteQuietly(out);
        }
    }

    /** Rows in a dump: each extended INSERT holds one more row than it has separators. */
    static long countRows(Path dump) throws IOException {
        try (InputStream in = Files.newInputStream(dump)) {
            return countRows(in);
        }
    }

    static long countRows(InputStream in) throws IOException {
        Matcher inserts = new Matcher("INSERT INTO ".getBytes(StandardCharsets.US_ASCII));
        Matcher sameLine = new Matcher("),(".getBytes(StandardCharsets.US_ASCII));
        Matcher nextLine = new Matcher("),\n(".getBytes(StandardCharsets.US_ASCII));
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            for (int i = 0; i < n; i++) {
                inserts.feed(buffer[i]);
                sameLine.feed(buffer[i]);
                nextLine.feed(buffer[i]);
            }
        }
        return inserts.matches + sameLine.matches + nextLine.matches;
    }

    /** Counts occurrences of a pattern in a byte stream (the patterns here have no proper self-overlap). */
    private static final class Matcher {
        private final byte[] pattern;
        private int matched;
        long matches;

        Matcher(byte[] pattern) {
            this.pattern = pattern;
        }

        void feed(byte b) {
            if (b == pattern[matched]) {
                matched++;
            } else {
                matched = b == pattern[0] ? 1 : 0;
            }
            if (matched == pattern.length) {
                matches++;
                matched = 0;
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover dump in the work directory is harmless.
        }
    }
}
