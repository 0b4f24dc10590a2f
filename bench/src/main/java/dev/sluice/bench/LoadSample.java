package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One loader's load of one workload's backlog into a fresh database: from its JVM's launch until the target held
 * every change ({@code seconds}); the loader's CPU over its whole life up to then (JVM start-up included), PostgreSQL's
 * ({@link PostgresCpu}) and the broker's over the same interval; {@code readySeconds}: from launch until it began
 * to read changes (its start-up: JVM, connections, consumer group); its peak heap (GC log) and RSS; the check.
 * {@code copySeconds} is loader (c)'s COPY alone, without reading and folding the topics.
 */
record LoadSample(
        Workload workload,
        LoadSystem system,
        int run,
        boolean counted,
        long events,
        double seconds,
        double readySeconds,
        double loaderCpuSeconds,
        Map<String, Double> loaderThreadCpuSeconds,
        double postgresCpuSeconds,
        double brokerCpuSeconds,
        GcLog gc,
        long peakRssBytes,
        double copySeconds,
        int exitCode,
        TargetCheck check,
        String loadAverage) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A load that did not finish: no figures, a failed check. */
    static LoadSample failed(Workload w, LoadSystem system, int run, boolean counted, long events, String why) {
        return new LoadSample(
                w,
                system,
                run,
                counted,
                events,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Map.of(),
                Double.NaN,
                Double.NaN,
                new GcLog("-", 0, 0, 0, 0, 0),
                0,
                0,
                -1,
                TargetCheck.notLoaded(why),
                Manifest.loadAverage());
    }

    double eventsPerSecond() {
        return events / seconds;
    }

    /** The rate once started up: events over the time from the first read to done. */
    double eventsPerSecondOnceReading() {
        return events / (seconds - readySeconds);
    }

    double perMillion(double cpuSeconds) {
        return cpuSeconds * 1e6 / events;
    }

    ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("workload", workload.name());
        n.put("loader", system.label());
        n.put("run", run);
        n.put("counted", counted);
        n.put("events", events);
        n.put("seconds", seconds);
        n.put("events_per_second", eventsPerSecond());
        n.put("ready_seconds", readySeconds);
        n.put("events_per_second_once_reading", eventsPerSecondOnceReading());
        n.put("loader_cpu_seconds", loaderCpuSeconds);
        n.put("postgres_cpu_seconds", postgresCpuSeconds);
        n.put("broker_cpu_seconds", brokerCpuSeconds);
        n.put("loader_cpu_seconds_per_million_events", perMillion(loaderCpuSeconds));
        n.put("postgres_cpu_seconds_per_million_events", perMillion(postgresCpuSeconds));
        n.put("broker_cpu_seconds_per_million_events", perMillion(brokerCpuSeconds));
        n.set("loader_cpu_seconds_by_thread", JSON.valueToTree(loaderThreadCpuSeconds));
        n.put("peak_heap_used_bytes", gc.peakUsedBytes());
        n.put("peak_heap_after_gc_bytes", gc.peakAfterGcBytes());
        n.put("gc_pauses", gc.pauses());
        n.put("peak_rss_bytes", peakRssBytes);
        if (system == LoadSystem.COPY) {
            n.put("copy_statement_seconds", copySeconds);
        }
        n.put("exit_code_after_sigterm", exitCode);
        n.put("load_average_after", loadAverage);
        n.set("check", check.toJson());
        return n;
    }
}
