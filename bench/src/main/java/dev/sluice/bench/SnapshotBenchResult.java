package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.bench.SnapshotSample.Method;
import dev.sluice.testkit.RowChecksum;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * One {@code bench snapshot} run: every sample, and per method and parallelism the median over the counted rounds
 * (all but the first when there are several) of each figure, their ratios to the raw SELECT and to mariadb-dump, the
 * parallel speed-ups, and the target (Sluice ≥ 200,000 rows/s on 2 cores).
 */
public record SnapshotBenchResult(
        ObjectNode manifest,
        SnapshotBench.Options options,
        SnapshotTable.Result sourceTable,
        RowChecksum source,
        List<SnapshotSample> samples) {
    public static final double TARGET_ROWS_PER_SECOND = 200_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MIB = 1 << 20;

    /** The medians of one method at one parallelism over the counted rounds. */
    public record Summary(
            Method method,
            int parallelism,
            int runs,
            double seconds,
            double rowsPerSecond,
            double copyRowsPerSecond,
            double mibPerSecond,
            double cpuSeconds,
            double mariadbCpuSeconds,
            double brokerCpuSeconds,
            double othersCpuSeconds,
            double peakRssBytes,
            double peakHeapBytes,
            boolean checksOk) {
        String name() {
            return method.label() + (method == Method.DUMP ? "" : " p" + parallelism);
        }
    }

    /** Medians per method and parallelism, in the order the first round ran them. */
    public List<Summary> summaries() {
        List<Summary> out = new ArrayList<>();
        for (SnapshotSample first : samples.stream().filter(s -> s.round() == 1).toList()) {
            List<SnapshotSample> runs = samples.stream()
                    .filter(s -> s.counted() && s.method() == first.method() && s.parallelism() == first.parallelism())
                    .toList();
            out.add(new Summary(
                    first.method(),
                    first.parallelism(),
                    runs.size(),
                    median(runs, SnapshotSample::seconds),
                    median(runs, SnapshotSample::rowsPerSecond),
                    median(runs, SnapshotSample::copyRowsPerSecond),
                    median(runs, SnapshotSample::mibPerSecond),
                    median(runs, SnapshotSample::cpuSeconds),
                    median(runs, SnapshotSample::mariadbCpuSeconds),
                    median(runs, SnapshotSample::brokerCpuSeconds),
                    median(runs, SnapshotSample::othersCpuSeconds),
                    median(runs, s -> s.peakRssBytes()),
                    median(runs, s -> s.peakHeapBytes()),
                    runs.stream().allMatch(SnapshotSample::checkOk)));
        }
        return out;
    }

    private static double median(List<SnapshotSample> runs, ToDoubleFunction<SnapshotSample> metric) {
        return ComparisonResult.median(runs.stream().mapToDouble(metric).toArray());
    }

    Optional<Summary> summary(Method method, int parallelism) {
        return summaries().stream()
                .filter(s -> s.method() == method && s.parallelism() == parallelism)
                .findFirst();
    }

    /** A ratio of median rows/s to another summary's; NaN when that one was not measured. */
    static double ratio(Summary s, Optional<Summary> base) {
        return base.map(b -> s.rowsPerSecond() / b.rowsPerSecond()).orElse(Double.NaN);
    }

    /** Median rows/s at {@code parallelism} over that at 1, for one method; NaN if either is missing. */
    public double speedUp(Method method, int parallelism) {
        Optional<Summary> one = summary(method, 1);
        return summary(method, parallelism).map(s -> ratio(s, one)).orElse(Double.NaN);
    }

    /** The same for the copy rates (start-up left out). */
    public double copySpeedUp(Method method, int parallelism) {
        Optional<Summary> one = summary(method, 1);
        return summary(method, parallelism)
                .flatMap(s -> one.map(o -> s.copyRowsPerSecond() / o.copyRowsPerSecond()))
                .orElse(Double.NaN);
    }

    /** Every run's check passed, warm-up rounds included. */
    public boolean checkOk() {
        return samples.stream().allMatch(SnapshotSample::checkOk);
    }

    /** Sluice's best median rows/s over the levels, JVM start-up included; NaN if Sluice did not run. */
    public double bestSluiceRowsPerSecond() {
        return summaries().stream()
                .filter(s -> s.method() == Method.SLUICE)
                .mapToDouble(Summary::rowsPerSecond)
                .max()
                .orElse(Double.NaN);
    }

    public double bestSluiceCopyRowsPerSecond() {
        return summaries().stream()
                .filter(s -> s.method() == Method.SLUICE)
                .mapToDouble(Summary::copyRowsPerSecond)
                .max()
                .orElse(Double.NaN);
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "snapshot");
        root.set("manifest", manifest);
        root.put("load_average_at_end", Manifest.loadAverage());
        ObjectNode t = root.putObject("table");
        t.put("name", SnapshotTable.TABLE);
        t.put("rows", sourceTable.rows());
        t.put("generate_seconds", sourceTable.seconds());
        t.put("innodb_data_bytes", sourceTable.dataBytes());
        t.put("innodb_avg_row_bytes", sourceTable.averageRowBytes());
        t.put("source_count", source.count());
        t.put("source_checksum", source.sum());
        t.put(
                "check_method",
                "count, distinct ids 1..rows, records with op other than r, and the sum of CRC32 of "
                        + "every column of the after image joined by ':' (NULL as \\N) against SUM(CRC32(CONCAT_WS(':', "
                        + "IFNULL(col, '\\N'), ...))) over the table");
        t.put("check_ok", checkOk());
        root.set("summaries", summariesJson());
        ObjectNode speedUp = root.putObject("parallel_speed_up");
        for (Method m : List.of(Method.SLUICE, Method.RAW_SELECT)) {
            for (int p : options.parallelism()) {
                if (p > 1 && summary(m, p).isPresent()) {
                    speedUp.put(key(m) + "_p" + p + "_over_p1", speedUp(m, p));
                    speedUp.put(key(m) + "_copy_p" + p + "_over_p1", copySpeedUp(m, p));
                }
            }
        }
        ObjectNode target = root.putObject("target");
        target.put("rows_per_second", TARGET_ROWS_PER_SECOND);
        target.put("measured", sluiceRan());
        target.put("best_sluice_rows_per_second", bestSluiceRowsPerSecond());
        target.put("best_sluice_copy_rows_per_second", bestSluiceCopyRowsPerSecond());
        target.put("met_from_jvm_start", sluiceRan() && bestSluiceRowsPerSecond() >= TARGET_ROWS_PER_SECOND);
        target.put("met_copy_rate", sluiceRan() && bestSluiceCopyRowsPerSecond() >= TARGET_ROWS_PER_SECOND);
        ArrayNode list = root.putArray("samples");
        samples.forEach(s -> list.add(s.toJson()));
        return root;
    }

    private boolean sluiceRan() {
        return samples.stream().anyMatch(s -> s.method() == Method.SLUICE);
    }

    private static String key(Method m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    private ArrayNode summariesJson() {
        ArrayNode list = JSON.createArrayNode();
        Optional<Summary> raw1 = summary(Method.RAW_SELECT, 1);
        Optional<Summary> dump = summary(Method.DUMP, 1);
        for (Summary s : summaries()) {
            ObjectNode n = list.addObject();
            n.put("method", s.method().label());
            n.put("parallelism", s.parallelism());
            n.put("counted_runs", s.runs());
            n.put("median_seconds", s.seconds());
            n.put("median_rows_per_second", s.rowsPerSecond());
            n.put("median_copy_rows_per_second", s.copyRowsPerSecond());
            n.put("median_mib_per_second", s.mibPerSecond());
            n.put("bytes_are", s.method().bytes());
            n.put("median_cpu_seconds", s.cpuSeconds());
            n.put("median_mariadbd_cpu_seconds", s.mariadbCpuSeconds());
            n.put("median_broker_cpu_seconds", s.brokerCpuSeconds());
            n.put("median_others_cpu_seconds", s.othersCpuSeconds());
            if (s.method() == Method.SLUICE) {
                n.put("median_peak_heap_used_bytes", s.peakHeapBytes());
                n.put("median_peak_rss_bytes", s.peakRssBytes());
            }
            n.put("ratio_to_raw_select_p1", ratio(s, raw1));
            n.put("ratio_to_raw_select_same_parallelism", ratio(s, summary(Method.RAW_SELECT, s.parallelism())));
            n.put("ratio_to_mariadb_dump", ratio(s, dump));
            n.put("checks_ok", s.checksOk());
        }
        return list;
    }

    /** The terminal table: one line per method and parallelism, medians, and the ratios. */
    public String table() {
        Optional<Summary> raw1 = summary(Method.RAW_SELECT, 1);
        Optional<Summary> dump = summary(Method.DUMP, 1);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "method",
            "runs",
            "seconds",
            "rows/s",
            "copy rows/s",
            "MiB/s",
            "CPU-s",
            "mariadbd",
            "broker",
            "others",
            "heap/RSS MiB",
            "x SELECT p1",
            "x SELECT same p",
            "x dump",
            "check"
        });
        for (Summary s : summaries()) {
            rows.add(new String[] {
                s.name(),
                Integer.toString(s.runs()),
                fmt("%.2f", s.seconds()),
                fmt("%,.0f", s.rowsPerSecond()),
                fmt("%,.0f", s.copyRowsPerSecond()),
                fmt("%.1f", s.mibPerSecond()),
                fmt("%.2f", s.cpuSeconds()),
                fmt("%.2f", s.mariadbCpuSeconds()),
                fmt("%.2f", s.brokerCpuSeconds()),
                fmt("%.2f", s.othersCpuSeconds()),
                s.peakRssBytes() > 0 ? fmt("%.0f/%.0f", s.peakHeapBytes() / MIB, s.peakRssBytes() / MIB) : "-",
                fmt("%.2f", ratio(s, raw1)),
                fmt("%.2f", ratio(s, summary(Method.RAW_SELECT, s.parallelism()))),
                fmt("%.2f", ratio(s, dump)),
                s.checksOk() ? "OK" : "FAIL"
            });
        }
        StringBuilder out = new StringBuilder(ReportTable.columns(rows));
        out.append(fmt(
                "%,d rows of %s (~%d B/row in InnoDB); medians of %d counted run(s) each%s. rows/s = rows / "
                        + "seconds from the copier's start (Sluice: JVM launch) to the last row; copy rows/s leaves "
                        + "start-up out (Sluice: from its first row sent, by the record's Kafka timestamp, to the last "
                        + "row visible). MiB/s of each method's own output: dump file, bytes the "
                        + "server sent, Kafka key+value. CPU-s: the copier's own process (Sluice: its JVM from launch), "
                        + "then mariadbd, the broker, and the other tenants of the machine over the same time.%n",
                sourceTable.rows(),
                SnapshotTable.TABLE,
                sourceTable.averageRowBytes(),
                summaries().isEmpty() ? 0 : summaries().get(0).runs(),
                options.rounds() > 1 ? " (round 1 of " + options.rounds() + " is a warm-up, not counted)" : ""));
        out.append(speedUpLine(Method.SLUICE)).append(speedUpLine(Method.RAW_SELECT));
        if (summary(Method.SLUICE, options.parallelism().get(0)).isPresent()) {
            out.append(fmt(
                    "target >= %,.0f rows/s: %s from JVM start (best %,.0f), %s once copying (best %,.0f)%n",
                    TARGET_ROWS_PER_SECOND,
                    bestSluiceRowsPerSecond() >= TARGET_ROWS_PER_SECOND ? "MET" : "NOT MET",
                    bestSluiceRowsPerSecond(),
                    bestSluiceCopyRowsPerSecond() >= TARGET_ROWS_PER_SECOND ? "MET" : "NOT MET",
                    bestSluiceCopyRowsPerSecond()));
        }
        out.append("check: ")
                .append(checkOk() ? "OK, every run" : "FAILED (see the samples in the JSON)")
                .append('\n');
        return out.toString();
    }

    private String speedUpLine(Method m) {
        StringBuilder line = new StringBuilder();
        for (int p : options.parallelism()) {
            if (p > 1 && summary(m, p).isPresent() && summary(m, 1).isPresent()) {
                line.append(line.length() == 0 ? "parallel speed-up, " + m.label() + ": " : ", ")
                        .append(fmt("p%d/p1 = %.2f (copy rate %.2f)", p, speedUp(m, p), copySpeedUp(m, p)));
            }
        }
        return line.length() == 0 ? "" : line.append('\n').toString();
    }

    /** Median rows/s per method and parallelism as bars: from the copier's start, and once copying. */
    public String chart() {
        List<Summary> all = summaries();
        List<String> groups = all.stream()
                .map(s -> s.method() == Method.DUMP
                        ? "mariadb-dump"
                        : (s.method() == Method.RAW_SELECT ? "SELECT" : "sluice") + " p" + s.parallelism())
                .toList();
        return SvgChart.bars(
                fmt(
                        "Copying %,d rows of %s (median rows/s, %s)",
                        sourceTable.rows(),
                        SnapshotTable.TABLE,
                        String.valueOf(manifest.path("machine").path("cores").asInt()) + " cores"),
                "rows/s",
                groups,
                List.of(
                        new SvgChart.Series(
                                "from start",
                                all.stream().mapToDouble(Summary::rowsPerSecond).toArray()),
                        new SvgChart.Series(
                                "copy rate (start-up left out)",
                                all.stream()
                                        .mapToDouble(Summary::copyRowsPerSecond)
                                        .toArray())));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
