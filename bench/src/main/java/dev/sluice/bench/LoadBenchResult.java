package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The load benchmark's result: every sample, and per workload and loader the medians of the counted runs, Sluice's
 * ratio to each other loader, and the targets: Sluice ≥ 5× (a), ≥ 70 % of (c) on W1, ≥ 3× (d), loader heap
 * ≤ 512 MB.
 */
record LoadBenchResult(ObjectNode manifest, LoadBench.Options options, List<LoadSample> samples) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MIB = 1 << 20;
    static final long HEAP_TARGET_BYTES = 512L << 20;

    boolean checkOk() {
        return samples.stream().allMatch(s -> s.check().ok());
    }

    List<String> failures() {
        return samples.stream()
                .filter(s -> !s.check().ok())
                .map(s -> s.workload() + " " + s.system().label() + " run " + s.run() + ": "
                        + s.check().summary())
                .toList();
    }

    /** The median of {@code metric} over the counted runs of one loader on one workload; empty if it did not run. */
    Optional<Double> median(Workload w, LoadSystem system, ToDoubleFunction<LoadSample> metric) {
        double[] values = samples.stream()
                .filter(s -> s.workload() == w && s.system() == system && s.counted() && !Double.isNaN(s.seconds()))
                .mapToDouble(metric)
                .filter(v -> !Double.isNaN(v))
                .sorted()
                .toArray();
        if (values.length == 0) {
            return Optional.empty();
        }
        int mid = values.length / 2;
        return Optional.of(values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2);
    }

    /** Sluice's median rate over {@code other}'s on {@code w}. */
    Optional<Double> sluiceOver(Workload w, LoadSystem other) {
        Optional<Double> s = median(w, LoadSystem.SLUICE, LoadSample::eventsPerSecond);
        Optional<Double> o = median(w, other, LoadSample::eventsPerSecond);
        return s.isPresent() && o.isPresent() ? Optional.of(s.get() / o.get()) : Optional.empty();
    }

    /** The same ratio on the rates once each loader started reading (its start-up left out). */
    Optional<Double> sluiceOverOnceReading(Workload w, LoadSystem other) {
        Optional<Double> s = median(w, LoadSystem.SLUICE, LoadSample::eventsPerSecondOnceReading);
        Optional<Double> o = median(w, other, LoadSample::eventsPerSecondOnceReading);
        return s.isPresent() && o.isPresent() ? Optional.of(s.get() / o.get()) : Optional.empty();
    }

    String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "workload / loader",
            "events",
            "events/s",
            "Sluice ×",
            "start-up s",
            "events/s reading",
            "Sluice ×",
            "CPU-s/1M loader",
            "PostgreSQL",
            "broker",
            "heap MiB",
            "check"
        });
        for (Workload w : options.workloads()) {
            for (LoadSystem system : options.systems()) {
                if (samples.stream().noneMatch(s -> s.workload() == w && s.system() == system)) {
                    continue;
                }
                rows.add(new String[] {
                    w + " " + system.label(),
                    String.format(Locale.ROOT, "%,d", w.events(options.size())),
                    fmt("%,.0f", median(w, system, LoadSample::eventsPerSecond)),
                    system == LoadSystem.SLUICE ? "" : fmt("%.2f", sluiceOver(w, system)),
                    fmt("%.1f", median(w, system, LoadSample::readySeconds)),
                    fmt("%,.0f", median(w, system, LoadSample::eventsPerSecondOnceReading)),
                    system == LoadSystem.SLUICE ? "" : fmt("%.2f", sluiceOverOnceReading(w, system)),
                    fmt("%.1f", median(w, system, s -> s.perMillion(s.loaderCpuSeconds()))),
                    fmt("%.1f", median(w, system, s -> s.perMillion(s.postgresCpuSeconds()))),
                    fmt("%.1f", median(w, system, s -> s.perMillion(s.brokerCpuSeconds()))),
                    fmt("%.0f", median(w, system, s -> s.gc().peakUsedBytes() / MIB)),
                    checks(w, system)
                });
            }
        }
        return ReportTable.columns(rows) + targets();
    }

    private String checks(Workload w, LoadSystem system) {
        long bad = samples.stream()
                .filter(s ->
                        s.workload() == w && s.system() == system && !s.check().ok())
                .count();
        return bad == 0 ? "OK" : "FAILED " + bad;
    }

    /** The targets, each with its figure. */
    String targets() {
        StringBuilder out = new StringBuilder("Targets (medians of the counted runs):\n");
        for (Workload w : options.workloads()) {
            target(out, w + ": Sluice ≥ 5× (a) row by row", w, LoadSystem.ROWS, 5);
            target(out, w + ": Sluice ≥ 3× (d) Debezium JDBC sink", w, LoadSystem.DEBEZIUM, 3);
        }
        target(out, "W1: Sluice ≥ 70 % of (c) COPY", Workload.W1, LoadSystem.COPY, 0.7);
        double heap = samples.stream()
                .filter(s -> s.system() == LoadSystem.SLUICE)
                .mapToDouble(s -> s.gc().peakUsedBytes())
                .max()
                .orElse(0);
        out.append(String.format(
                Locale.ROOT,
                "  Sluice's loader heap ≤ 512 MiB: peak %.0f MiB in any run: %s%n",
                heap / MIB,
                heap <= HEAP_TARGET_BYTES ? "met" : "NOT met"));
        return out.toString();
    }

    /** A target on the rates from launch (what counts), with the ratio once reading beside it. */
    private void target(StringBuilder out, String what, Workload w, LoadSystem other, double goal) {
        String onceReading = sluiceOverOnceReading(w, other)
                .map(o -> fmt("%.2f", Optional.of(o)))
                .orElse("-");
        sluiceOver(w, other)
                .ifPresent(r -> out.append(String.format(
                        Locale.ROOT,
                        "  %s: %.2f: %s (once reading: %s)%n",
                        what,
                        r,
                        r >= goal ? "met" : "NOT met",
                        onceReading)));
    }

    private static String fmt(String format, Optional<Double> value) {
        return value.map(v -> String.format(Locale.ROOT, format, v)).orElse("-");
    }

    ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.set("manifest", manifest);
        ObjectNode o = root.putObject("options");
        o.put("runs", options.runs());
        o.put("events", options.size().events());
        o.set(
                "loaders",
                JSON.valueToTree(
                        options.systems().stream().map(LoadSystem::label).toList()));
        o.put("heap", options.heap());
        ArrayNode medians = root.putArray("medians");
        for (Workload w : options.workloads()) {
            for (LoadSystem system : options.systems()) {
                median(w, system, LoadSample::eventsPerSecond).ifPresent(rate -> {
                    ObjectNode m = medians.addObject();
                    m.put("workload", w.name());
                    m.put("loader", system.label());
                    m.put("events_per_second", rate);
                    sluiceOver(w, system).ifPresent(r -> m.put("sluice_over_this", r));
                    median(w, system, LoadSample::readySeconds).ifPresent(v -> m.put("ready_seconds", v));
                    median(w, system, LoadSample::eventsPerSecondOnceReading)
                            .ifPresent(v -> m.put("events_per_second_once_reading", v));
                    sluiceOverOnceReading(w, system).ifPresent(r -> m.put("sluice_over_this_once_reading", r));
                    median(w, system, s -> s.perMillion(s.loaderCpuSeconds()))
                            .ifPresent(v -> m.put("loader_cpu_seconds_per_million", v));
                    median(w, system, s -> s.perMillion(s.postgresCpuSeconds()))
                            .ifPresent(v -> m.put("postgres_cpu_seconds_per_million", v));
                    median(w, system, s -> s.perMillion(s.brokerCpuSeconds()))
                            .ifPresent(v -> m.put("broker_cpu_seconds_per_million", v));
                    median(w, system, s -> (double) s.gc().peakUsedBytes())
                            .ifPresent(v -> m.put("peak_heap_used_bytes", v));
                });
            }
        }
        root.put("targets", targets());
        root.put("check_ok", checkOk());
        ArrayNode list = root.putArray("samples");
        samples.forEach(s -> list.add(s.toJson()));
        root.put("load_average_at_end", Manifest.loadAverage());
        return root;
    }
}
