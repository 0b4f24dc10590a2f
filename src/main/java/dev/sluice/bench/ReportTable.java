package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Terminal tables: the summary of a {@link BenchResult} (one metric per line), and {@link #columns} for any table of
 * cells.
 */
public final class ReportTable {
    private static final double MIB = 1 << 20;

    private ReportTable() {
    }

    public static String render(BenchResult r) {
        List<String[]> rows = new ArrayList<>();
        DrainMeasurement d = r.drain();
        rows.add(row("events (row changes)", "%,d", r.events()));
        rows.add(row("mix", "%,d 1-row + %,d 100-row transactions", r.backlog().singleRowTransactions(),
                r.backlog().bigTransactions()));
        rows.add(row("drain seconds (JVM start -> last commit)", "%.2f", d.seconds()));
        rows.add(row("events/s", "%,.0f", r.eventsPerSecond()));
        rows.add(row("MiB/s of Kafka payload (key+value)", "%.1f (%,d bytes/event)", r.mibPerSecond(),
                r.kafka().payloadBytes() / Math.max(1, r.events())));
        rows.add(row("steady events/s (first -> last commit)", "%,.0f over %.2f s, %d commits",
                r.steadyEventsPerSecond(), d.firstToLastCommitSeconds(), d.commits().size()));
        rows.add(row("warm events/s (second half of the backlog)", "%,.0f", r.secondHalfEventsPerSecond()));
        rows.add(row("seconds to first commit", "%.2f", d.secondsToFirstCommit()));
        rows.add(row("CPU-s per 1M events: sluice", "%.2f (%.2f CPU-s)", r.cpuPerMillion(d.sluice().cpuSeconds()),
                d.sluice().cpuSeconds()));
        rows.add(row("  sluice CPU-s by thread (top 6)", "%s", topThreads(d.sluiceThreadCpuSeconds())));
        rows.add(row("CPU-s per 1M events: broker", "%.2f (%.2f CPU-s)", r.cpuPerMillion(d.brokerCpuSeconds()),
                d.brokerCpuSeconds()));
        rows.add(row("  broker CPU-s by thread (top 6)", "%s", topThreads(d.brokerThreadCpuSeconds())));
        rows.add(row("CPU-s per 1M events: mariadbd", "%.2f (%.2f CPU-s)", r.cpuPerMillion(d.mariadbCpuSeconds()),
                d.mariadbCpuSeconds()));
        rows.add(row("peak heap used (max before GC)", "%.0f MiB of -Xmx%s (%s)", d.gc().peakUsedBytes() / MIB,
                r.options().heap(), d.gc().collector()));
        rows.add(row("max heap after GC (live data bound)", "%.0f MiB, %d pauses, %.0f ms total",
                d.gc().peakAfterGcBytes() / MIB, d.gc().pauses(), d.gc().pauseMs()));
        rows.add(row("peak RSS: sluice / broker / mariadbd", "%.0f / %.0f / %.0f MiB", d.sluice().peakRssBytes() / MIB,
                d.broker().peakRssBytes() / MIB, d.mariadb().peakRssBytes() / MIB));
        rows.add(row("check (count, checksum)", "%s", checkText(r)));
        rows.add(row("target >= 100,000 events/s, heap <= 512 MB", "%s", r.targetMet() ? "MET" : "NOT MET"));
        return format(rows);
    }

    private static String topThreads(Map<String, Double> threads) {
        StringBuilder out = new StringBuilder();
        threads.entrySet().stream().limit(6).forEach(e -> out.append(out.length() > 0 ? ", " : "")
                .append(e.getKey().strip()).append(String.format(Locale.ROOT, " %.1f", e.getValue())));
        return out.toString();
    }

    private static String checkText(BenchResult r) {
        String counts = String.format(Locale.ROOT, "count kafka %d / source %d / expected %d; checksum kafka %d / "
                + "source %d; distinct ids %d", r.kafka().checksum().count(), r.source().count(), r.events(),
                r.kafka().checksum().sum(), r.source().sum(), r.kafka().distinctIds());
        return (r.checkOk() ? "OK   " : "FAIL ") + counts;
    }

    private static String[] row(String metric, String format, Object... args) {
        return new String[] {metric, String.format(Locale.ROOT, format, args)};
    }

    private static String format(List<String[]> rows) {
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        StringBuilder out = new StringBuilder();
        String rule = "-".repeat(width + 2) + "+" + "-".repeat(60) + "\n";
        out.append(String.format("%-" + width + "s  | %s%n", "metric", "value")).append(rule);
        for (String[] r : rows) {
            out.append(String.format("%-" + width + "s  | %s%n", r[0], r[1]));
        }
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
