package dev.sluice.bench;

import dev.sluice.bench.PeerComparison.WorkloadRun;
import java.util.Locale;

/** The terminal summary of a {@link ComparisonResult}: every run, then per workload the medians and the ratio. */
public final class ComparisonTable {
    private static final String RUN = "%-5s %-9s %5s %8s %10s %8s %10s %12s %8s %9s  %s%n";

    private ComparisonTable() {}

    public static String render(ComparisonResult r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                RUN,
                "load",
                "system",
                "round",
                "seconds",
                "events/s",
                "1st out",
                "steady/s",
                "CPU-s/1M ev",
                "RSS MiB",
                "heap MiB",
                "check"));
        for (WorkloadRun w : r.workloads()) {
            for (RunSample s : w.samples()) {
                out.append(String.format(
                        Locale.ROOT,
                        RUN,
                        w.workload().name(),
                        s.system(),
                        s.round() + (s.counted() ? "" : "*"),
                        String.format(Locale.ROOT, "%.2f", s.seconds()),
                        String.format(Locale.ROOT, "%,.0f", s.eventsPerSecond()),
                        String.format(Locale.ROOT, "%.2f", s.secondsToFirstOutput()),
                        String.format(Locale.ROOT, "%,.0f", s.steadyEventsPerSecond()),
                        String.format(Locale.ROOT, "%.1f", s.cpuSecondsPerMillion()),
                        String.format(Locale.ROOT, "%.0f", ComparisonResult.mib(s.peakRssBytes())),
                        String.format(Locale.ROOT, "%.0f", ComparisonResult.mib(s.gc().peakUsedBytes())),
                        s.checkOk() ? "OK" : "FAILED " + s.check().problems()));
            }
        }
        out.append("* round 1 is a warm-up and not counted. seconds, events/s: JVM launch -> whole backlog readable; "
                + "1st out: JVM launch -> first output; steady/s: first -> last output\n\n");
        out.append(String.format(
                Locale.ROOT,
                "%-5s %14s %14s %11s %11s %18s%n",
                "load",
                "sluice ev/s",
                "debezium ev/s",
                "ratio S/D",
                "steady S/D",
                "CPU/event D/S"));
        for (WorkloadRun w : r.workloads()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-5s %,14.0f %,14.0f %10.2fx %10.2fx %17.2fx%n",
                    w.workload().name(),
                    ComparisonResult.median(w, PeerComparison.SLUICE, RunSample::eventsPerSecond),
                    ComparisonResult.median(w, PeerComparison.DEBEZIUM, RunSample::eventsPerSecond),
                    ComparisonResult.ratio(w),
                    ComparisonResult.steadyRatio(w),
                    ComparisonResult.cpuRatio(w)));
        }
        out.append(String.format(
                Locale.ROOT,
                "geometric mean of the ratios: %.2fx (events/s), %.2fx (steady), %.2fx " + "(CPU per event)%n",
                r.geometricMeanRatio(),
                r.geometricMeanSteadyRatio(),
                r.geometricMeanCpuRatio()));
        out.append(String.format(
                Locale.ROOT,
                "target Sluice >= %.0fx Debezium: %s; checks: %s%n",
                ComparisonResult.TARGET_RATIO,
                r.targetMet() ? "MET" : "NOT MET",
                r.checksOk() ? "all OK" : "FAILED"));
        return out.toString();
    }
}
