package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.bench.CommitWatch.Commit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * One pipeline benchmark run: the manifest, and for each workload its backlog, Sluice's drain and the check. The
 * issue's targets: 100,000 events/s with a heap (-Xmx) of at most 512 MB, and a heap of at most 512 MB during W2's
 * 1M-row transaction (the peak heap used in W2's pipeline JVM, from its GC log).
 */
public record BenchResult(
        ObjectNode manifest, PipelineBench.Options options, List<WorkloadDrain> runs, LatencyResult latency) {
    public static final double TARGET_EVENTS_PER_SECOND = 100_000;
    public static final long TARGET_HEAP_BYTES = 512L << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Every workload's check, and the latency run's (each row exactly once) if it ran. */
    public boolean checkOk() {
        return runs.stream().allMatch(WorkloadDrain::checkOk) && (latency == null || latency.checkOk());
    }

    /** The rate target per workload: the rate, reached with a heap (-Xmx) of at most 512 MB. */
    public boolean rateTargetMet(WorkloadDrain run) {
        return run.eventsPerSecond() >= TARGET_EVENTS_PER_SECOND && options.heapBytes() <= TARGET_HEAP_BYTES;
    }

    /** W2's run, whose large transaction the heap target is about; empty when W2 was not run. */
    public Optional<WorkloadDrain> w2() {
        return runs.stream().filter(r -> r.workload() == Workload.W2).findFirst();
    }

    /** The peak heap used in W2's pipeline JVM, which drained the large transaction, stayed within 512 MB. */
    public static boolean heapTargetMet(WorkloadDrain w2) {
        return w2.drain().gc().peakUsedBytes() <= TARGET_HEAP_BYTES;
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "pipeline");
        root.set("manifest", manifest);
        ArrayNode list = root.putArray("workloads");
        runs.forEach(r -> list.add(r.toJson()));
        ObjectNode summary = root.putObject("summary");
        summary.put("all_checks_ok", checkOk());
        ObjectNode perWorkload = summary.putObject("events_per_second");
        runs.forEach(r -> perWorkload.put(r.workload().name(), r.eventsPerSecond()));
        ObjectNode target = root.putObject("target");
        target.put("events_per_second", TARGET_EVENTS_PER_SECOND);
        target.put("heap_bytes", TARGET_HEAP_BYTES);
        ObjectNode rateMet = target.putObject("rate_met");
        runs.forEach(r -> rateMet.put(r.workload().name(), rateTargetMet(r)));
        w2().ifPresent(w2 -> {
            ObjectNode heap = target.putObject("w2_large_transaction_heap");
            heap.put(
                    "what",
                    "peak heap used (largest heap-before-GC in the GC log) of W2's pipeline JVM, which "
                            + "drains the 1M-row transaction, at -Xmx" + options.heap());
            heap.put("peak_heap_used_bytes", w2.drain().gc().peakUsedBytes());
            heap.put("peak_heap_after_gc_bytes", w2.drain().gc().peakAfterGcBytes());
            heap.put("met", heapTargetMet(w2));
            heap.put("large_transaction", w2.largest().describe());
        });
        if (latency != null) {
            root.set("latency", latency.toJson());
        }
        return root;
    }

    /** Events/s per workload (from JVM launch and steady), and the committed-events timeline of W2 (or the first). */
    public String chart() {
        List<String> names = runs.stream().map(r -> r.workload().name()).toList();
        String bars = SvgChart.bars(
                "Sluice drain rate per workload (load average at start "
                        + manifest.path("load_average_at_start").asText() + ")",
                "events/s",
                names,
                List.of(
                        new SvgChart.Series(
                                "events/s (JVM launch -> last commit)",
                                runs.stream()
                                        .mapToDouble(WorkloadDrain::eventsPerSecond)
                                        .toArray()),
                        new SvgChart.Series(
                                "steady events/s (first -> last commit)",
                                runs.stream()
                                        .mapToDouble(r -> nanToZero(r.steadyEventsPerSecond()))
                                        .toArray())));
        WorkloadDrain shown = w2().orElse(runs.get(0));
        List<Commit> commits = shown.drain().commits();
        double[] xs = new double[commits.size() + 1];
        double[] ys = new double[commits.size() + 1];
        for (int i = 0; i < commits.size(); i++) {
            xs[i + 1] = (commits.get(i).seenAtMs() - shown.drain().startedAtMs()) / 1000.0;
            ys[i + 1] = shown.backlog().eventsCoveredBy(commits.get(i).sequence());
        }
        String timeline = SvgChart.steps(
                shown.workload().name() + ": backlog events committed (visible to a "
                        + "read_committed consumer) over time",
                "seconds since the pipeline JVM started",
                "events",
                xs,
                ys);
        return SvgChart.stack(List.of(bars, timeline));
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    public String table() {
        return ReportTable.render(this);
    }

    /** Writes the JSON through a temporary file, so a reader never sees half a result. */
    public void writeJson(Path file) {
        writeJson(file, toJson());
    }

    /** Writes any bench's JSON through a temporary file, so a reader never sees half a result. */
    public static void writeJson(Path file, ObjectNode json) {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            Files.createDirectories(abs.getParent());
            JSON.writeValue(tmp.toFile(), json);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + abs, e);
        }
    }
}
