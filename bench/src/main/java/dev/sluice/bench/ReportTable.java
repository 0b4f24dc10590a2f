package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Terminal tables: the summary of a {@link BenchResult} (one row per workload), and {@link #columns} for any table
 * of cells.
 */
public final class ReportTable {
    private static final double MIB = 1 << 20;

    private ReportTable() {}

    /**
     * One row per workload (rates, time to first commit, CPU per million events of each process, peak heap and RSS,
     * the check), then what each workload wrote, its check in words, W2's large transaction and the targets.
     */
    public static String render(BenchResult r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "workload",
            "events",
            "seconds",
            "events/s",
            "steady/s",
            "MiB/s",
            "1st commit s",
            "CPU-s/1M sluice",
            "broker",
            "mariadbd",
            "heap MiB",
            "RSS MiB",
            "x ProducerPerf",
            "x binlog read",
            "check"
        });
        for (WorkloadDrain w : r.runs()) {
            DrainMeasurement d = w.drain();
            rows.add(new String[] {
                w.workload().name(),
                fmt("%,d", w.events()),
                fmt("%.2f", d.seconds()),
                fmt("%,.0f", w.eventsPerSecond()),
                fmt("%,.0f", w.steadyEventsPerSecond()),
                fmt("%.1f", w.mibPerSecond()),
                fmt("%.2f", d.secondsToFirstCommit()),
                fmt("%.1f", w.cpuPerMillion(d.sluice().cpuSeconds())),
                fmt("%.1f", w.cpuPerMillion(d.brokerCpuSeconds())),
                fmt("%.1f", w.cpuPerMillion(d.mariadbCpuSeconds())),
                fmt("%.0f", d.gc().peakUsedBytes() / MIB),
                fmt("%.0f", d.sluice().peakRssBytes() / MIB),
                fmt("%.2f", w.ofProducerCeiling()),
                fmt("%.2f", w.ofBinlogReadCeiling()),
                w.checkOk() ? "OK" : "FAIL"
            });
        }
        StringBuilder out = new StringBuilder(columns(rows));
        out.append("seconds, events/s: pipeline JVM launch -> last commit seen; steady/s: first -> last commit; MiB/s: "
                        + "Kafka key+value bytes; heap: peak used (GC log) of -Xmx")
                .append(r.options().heap())
                .append("; RSS: the pipeline JVM's peak\n")
                .append("x ProducerPerf: events/s over ProducerPerformance's records/s (same record size, 1 partition, "
                        + "acks=all, same broker); x binlog read: over the raw binlog read of the same backlog\n\n");
        for (WorkloadDrain w : r.runs()) {
            out.append(fmt(
                    "%-4s %s; %,d transactions, %s%n",
                    w.workload().name(),
                    w.backlog().shape(),
                    w.backlog().transactions(),
                    w.backlog().writtenTotal()));
            out.append(fmt("     check %s%n", w.check().summary()));
            out.append(fmt(
                    "     sluice CPU-s by thread (top 6): %s%n",
                    topThreads(w.drain().sluiceThreadCpuSeconds())));
            out.append(fmt(
                    "     ceilings: ProducerPerformance %,.0f records/s of %d bytes; raw binlog read %,.0f "
                            + "events/s of this backlog (%.0f MiB/s)%n",
                    w.ceilings().producer().recordsPerSec(),
                    w.ceilings().recordBytes(),
                    w.events() / w.ceilings().binlog().seconds(),
                    w.ceilings().binlog().mibPerSecond()));
        }
        r.w2().ifPresent(w2 -> out.append(fmt(
                        "%nW2's largest transaction (%s): %s%n",
                        w2.largest().gtid(), w2.largest().describe()))
                .append(fmt(
                        "heap <= 512 MB during W2's large transaction: %s (peak heap "
                                + "used %.0f MiB, max after GC %.0f MiB, of -Xmx%s)%n",
                        BenchResult.heapTargetMet(w2) ? "MET" : "NOT MET",
                        w2.drain().gc().peakUsedBytes() / MIB,
                        w2.drain().gc().peakAfterGcBytes() / MIB,
                        r.options().heap())));
        List<String> met = r.runs().stream()
                .filter(r::rateTargetMet)
                .map(w -> w.workload().name())
                .toList();
        out.append(fmt(
                "target >= 100,000 events/s (JVM launch -> last commit) with -Xmx <= 512 MB: %s%n",
                met.isEmpty() ? "NOT MET by any workload" : "met by " + String.join(", ", met)));
        out.append(fmt("checks: %s%n", r.checkOk() ? "all OK" : "FAILED (see above and the JSON)"));
        return out.toString();
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String topThreads(Map<String, Double> threads) {
        StringBuilder out = new StringBuilder();
        threads.entrySet().stream()
                .limit(6)
                .forEach(e -> out.append(out.length() > 0 ? ", " : "")
                        .append(e.getKey().strip())
                        .append(String.format(Locale.ROOT, " %.1f", e.getValue())));
        return out.toString();
    }

    /** Rows of cells, the first row the header: the first column left-aligned, the others right-aligned. */
    public static String columns(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            String[] r = rows.get(n);
            for (int i = 0; i < r.length; i++) {
                String pad = " ".repeat(width[i] - r[i].length());
                out.append(i == 0 ? r[i] + pad : " | " + pad + r[i]);
            }
            out.append('\n');
            if (n == 0) {
                int total = java.util.Arrays.stream(width).sum() + 3 * (width.length - 1);
                out.append("-".repeat(total)).append('\n');
            }
        }
        return out.toString();
    }
}
