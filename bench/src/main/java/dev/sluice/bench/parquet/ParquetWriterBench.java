package dev.sluice.bench.parquet;

import dev.sluice.embedded.Classpath;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The same rows written to Parquet by DuckDB and by parquet-java, each run in a fresh JVM of its own (so its peak heap
 * and RSS are its own), the order alternated per round, every file read back with DuckDB and compared with the source
 * rows by ordered checksum. Prints the load average before and after, each round, and the medians.
 *
 * <pre>
 * java -cp "bench/target/sluice-bench.jar:$(cat bench/target/classpath.txt)" \
 *     dev.sluice.bench.parquet.ParquetWriterBench [rows=1000000] [rounds=3] [dir=target/parquet-bench]
 * </pre>
 */
public final class ParquetWriterBench {
    private static final List<String> WRITERS = List.of("duckdb", "parquet-java");
    private static final String HEAP = "1g";

    private ParquetWriterBench() {}

    /** One measured write in this JVM's child role: {@code child WRITER ROWS FILE}. */
    record Sample(String writer, long rows, long millis, long heapPeak, long rssPeak, long fileBytes) {
        double rowsPerSecond() {
            return rows * 1000.0 / millis;
        }

        String line() {
            return "RESULT %s %d %d %d %d %d".formatted(writer, rows, millis, heapPeak, rssPeak, fileBytes);
        }

        static Sample parse(String line) {
            String[] f = line.split(" ");
            return new Sample(
                    f[1],
                    Long.parseLong(f[2]),
                    Long.parseLong(f[3]),
                    Long.parseLong(f[4]),
                    Long.parseLong(f[5]),
                    Long.parseLong(f[6]));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            System.out.println(
                    child(args[1], Long.parseLong(args[2]), Path.of(args[3])).line());
            return;
        }
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Path.of(args.length > 2 ? args[2] : "target/parquet-bench").toAbsolutePath();
        Files.createDirectories(dir);
        System.out.println("load before: " + uptime());
        System.out.println("hadoop on this class path: " + hadoopPresent());
        String expected = RowDigest.ofSource(rows);
        System.out.println("source: " + expected);
        Map<String, List<Sample>> samples = new TreeMap<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
            for (int round = 1; round <= rounds; round++) {
                List<String> order = new ArrayList<>(WRITERS);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (String writer : order) {
                    Path file = dir.resolve(writer + "-" + round + ".parquet");
                    Sample s = runChild(writer, rows, file, dir);
                    String actual = RowDigest.ofParquetFile(duckdb, file.toString());
                    if (!actual.equals(expected)) {
                        throw new IllegalStateException(writer + " wrote different rows: " + actual);
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "round %d %-13s %,10.0f rows/s  heap peak %5d MiB  RSS peak %5d MiB  file %6.1f MiB"
                                    + "  read back equal%n",
                            round,
                            writer,
                            s.rowsPerSecond(),
                            s.heapPeak() >> 20,
                            s.rssPeak() >> 20,
                            s.fileBytes() / 1048576.0);
                    samples.computeIfAbsent(writer, w -> new ArrayList<>()).add(s);
                    Files.delete(file);
                }
            }
        }
        System.out.println("load after: " + uptime());
        System.out.printf(
                "%nmedians of %d rounds, %,d rows, zstd, -Xmx%s, each writer in its own JVM:%n", rounds, rows, HEAP);
        System.out.printf(
                "%-13s %12s %14s %14s %10s%n", "writer", "rows/s", "heap peak MiB", "RSS peak MiB", "file MiB");
        samples.forEach((writer, list) -> System.out.printf(
                Locale.ROOT,
                "%-13s %,12.0f %14d %14d %10.1f%n",
                writer,
                median(list, Sample::rowsPerSecond),
                (long) median(list, s -> (double) s.heapPeak()) >> 20,
                (long) median(list, s -> (double) s.rssPeak()) >> 20,
                median(list, s -> (double) s.fileBytes()) / 1048576.0));
    }

    private static Sample runChild(String writer, long rows, Path file, Path dir)
            throws IOException, InterruptedException {
        Path log = dir.resolve(writer + ".log");
        Process p = new ProcessBuilder(
                        Classpath.javaExecutable().toString(),
                        "-Xmx" + HEAP,
                        "-cp",
                        Classpath.current(),
                        ParquetWriterBench.class.getName(),
                        "child",
                        writer,
                        Long.toString(rows),
                        file.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(writer + " failed:\n" + Files.readString(log));
        }
        return Files.readAllLines(log).stream()
                .filter(l -> l.startsWith("RESULT "))
                .map(Sample::parse)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No result from " + writer + " in " + log));
    }

    /** Times the write alone; the rows are computed on the fly by both writers, inside the timed loop. */
    private static Sample child(String writer, long rows, Path file) throws Exception {
        if (hadoopPresent()) {
            throw new IllegalStateException("A Hadoop jar is on the class path: the measurement must run without");
        }
        // A small write first, untimed: loading DuckDB's native library and the classes, and the first JIT
        // compilations, are a cost per process, not per row.
        Path warmUp = file.resolveSibling(file.getFileName() + ".warm-up");
        write(writer, 10_000, warmUp);
        Files.delete(warmUp);
        long started = System.nanoTime();
        write(writer, rows, file);
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new Sample(writer, rows, millis, heapPeak(), rssPeak(), Files.size(file));
    }

    private static void write(String writer, long rows, Path file) throws Exception {
        switch (writer) {
            case "duckdb" -> DuckDbParquetWriter.write(rows, file);
            case "parquet-java" -> ParquetJavaWriter.write(rows, file, CompressionCodecName.ZSTD);
            default -> throw new IllegalArgumentException("Unknown writer " + writer + "; one of " + WRITERS);
        }
    }

    /** The sum of the heap pools' peaks: an upper bound of the heap in use at any one moment. */
    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getPeakUsage)
                .mapToLong(usage -> usage.getUsed())
                .sum();
    }

    /** VmHWM: the process's peak resident set, which counts DuckDB's native memory that the heap does not. */
    private static long rssPeak() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                .findFirst()
                .orElse(-1L);
    }

    static boolean hadoopPresent() {
        try {
            Class.forName("org.apache.hadoop.conf.Configuration", false, ParquetWriterBench.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException expected) {
            return false;
        }
    }

    private static double median(List<Sample> list, java.util.function.ToDoubleFunction<Sample> f) {
        double[] v = list.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String uptime() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return out;
    }
}
