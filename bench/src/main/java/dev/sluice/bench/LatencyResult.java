package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What the open-loop latency run measured: per rate, the three latency histograms of {@link LatencyRun} (in
 * microseconds), whether every row arrived exactly once, and the processes' CPU; and the target — commit → consumer
 * p99 at most 50 ms at half of capacity.
 */
public record LatencyResult(
        LatencyRun.Options options, List<RateResult> rates, GcLog gc, int exitCode, List<String> jvmFlags) {
    static final double TARGET_P99_MS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] PERCENTILES = {50, 90, 95, 99, 99.9, 99.99};

    /**
     * One rate: {@code rows} rows were due in the measured window of {@code windowSeconds} (from the first row due
     * after the warm-up to the last commit); {@code missing} rows (of the whole schedule) never arrived,
     * {@code duplicates} arrived twice, {@code foreign} records were not rows of the schedule, {@code negative}
     * arrived before their commit returned to the writer (recorded as 0). CPU and the pipeline's {@code counts}
     * cover the whole rate ({@code seconds}: from the first row due to the last arrival), warm-up included.
     */
    record RateResult(
            LatencyRun.Rate rate,
            OpenLoopLoad.Schedule schedule,
            int writerThreads,
            long rows,
            double windowSeconds,
            Histograms latencies,
            long missing,
            long duplicates,
            long foreign,
            long negative,
            double sluiceCpuSeconds,
            double brokerCpuSeconds,
            double mariadbCpuSeconds,
            PipelineCounts counts,
            double seconds) {
        /** Kafka transactions the pipeline committed per second while this rate ran (warm-up included). */
        double kafkaCommitsPerSecond() {
            return counts.kafkaCommits() / seconds;
        }

        double achievedEventsPerSecond() {
            return rows / windowSeconds;
        }

        boolean checkOk() {
            return missing == 0 && duplicates == 0;
        }

        double p99Ms() {
            return ms(latencies.commitToConsumer(), 99);
        }

        String summary() {
            return String.format(
                            Locale.ROOT,
                            "%,.0f rows/s achieved; commit -> consumer p50 %.1f / p99 %.1f / max "
                                    + "%.1f ms; due -> consumer p99 %.1f ms; %d missing, %d twice",
                            achievedEventsPerSecond(),
                            ms(latencies.commitToConsumer(), 50),
                            p99Ms(),
                            maxMs(latencies.commitToConsumer()),
                            ms(latencies.dueToConsumer(), 99),
                            missing,
                            duplicates)
                    + (counts.reconnects() > 0
                            ? "; the pipeline reconnected " + counts.reconnects() + " time(s), see its log"
                            : "");
        }
    }

    /**
     * What the pipeline's own counters ({@code /metrics}) moved by while one rate ran: Kafka transactions committed,
     * and reconnects (a failed Kafka transaction or a lost source connection, recovered from the committed position;
     * the rows still arrive exactly once, but late, so a reconnect explains a stall in the percentiles).
     */
    record PipelineCounts(long kafkaCommits, long reconnects) {
        /** What the counters moved by since {@code before}. */
        PipelineCounts since(PipelineCounts before) {
            return new PipelineCounts(kafkaCommits - before.kafkaCommits, reconnects - before.reconnects);
        }
    }

    /**
     * One rate's latencies per row, in microseconds (see {@link LatencyRun}): commit → consumer splits into
     * commit → sent and sent → consumer at the record's timestamp (a wall-clock millisecond, so each part is ±1 ms).
     */
    record Histograms(
            Histogram commitToConsumer,
            Histogram dueToConsumer,
            Histogram dueToCommit,
            Histogram commitToSent,
            Histogram sentToConsumer) {}

    public boolean checkOk() {
        return rates.stream().allMatch(RateResult::checkOk);
    }

    /** The half-of-capacity rate, if it was run. */
    RateResult halfOfCapacity() {
        return rates.stream().filter(r -> r.rate().halfOfCapacity()).findFirst().orElse(null);
    }

    /** Commit → consumer p99 ≤ 50 ms at half of capacity, with every row there once; false if that rate did not run. */
    public boolean targetMet() {
        RateResult half = halfOfCapacity();
        return half != null && half.checkOk() && half.p99Ms() <= TARGET_P99_MS;
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static double maxMs(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("warmup_seconds", options.warmupSeconds());
        root.put("measure_seconds", options.measureSeconds());
        root.put("max_source_transactions_per_second", options.maxTransactionsPerSecond());
        root.put("writer_connections", options.writerThreads());
        root.set("pipeline_settings", JSON.valueToTree(options.pipelineSettings()));
        root.put("pipeline_exit_code", exitCode);
        root.set("pipeline_jvm_flags", JSON.valueToTree(jvmFlags));
        root.put("pipeline_peak_heap_used_bytes", gc.peakUsedBytes());
        ArrayNode list = root.putArray("rates");
        rates.forEach(r -> list.add(rateJson(r)));
        ObjectNode target = root.putObject("target");
        target.put("commit_to_consumer_p99_ms_at_half_capacity", TARGET_P99_MS);
        target.put("met", targetMet());
        root.put("check_ok", checkOk());
        return root;
    }

    private static ObjectNode rateJson(RateResult r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("label", r.rate().label());
        n.put("half_of_capacity", r.rate().halfOfCapacity());
        n.put("target_events_per_second", r.rate().eventsPerSecond());
        n.put("rows_per_transaction", r.schedule().rowsPerTransaction());
        n.put("transactions", r.schedule().transactions());
        n.put("writer_connections", r.writerThreads());
        n.put("measured_rows", r.rows());
        n.put("window_seconds", r.windowSeconds());
        n.put("achieved_events_per_second", r.achievedEventsPerSecond());
        Histograms h = r.latencies();
        n.set("commit_to_consumer_ms", histogramJson(h.commitToConsumer()));
        n.set("due_to_consumer_ms", histogramJson(h.dueToConsumer()));
        n.set("due_to_commit_ms", histogramJson(h.dueToCommit()));
        n.set("commit_to_sent_ms", histogramJson(h.commitToSent()));
        n.set("sent_to_consumer_ms", histogramJson(h.sentToConsumer()));
        n.put("missing_rows", r.missing());
        n.put("duplicate_rows", r.duplicates());
        n.put("foreign_records", r.foreign());
        n.put("arrived_before_commit_returned", r.negative());
        n.put("seconds", r.seconds());
        n.put("kafka_commits", r.counts().kafkaCommits());
        n.put("pipeline_reconnects", r.counts().reconnects());
        n.put("sluice_cpu_seconds", r.sluiceCpuSeconds());
        n.put("broker_cpu_seconds", r.brokerCpuSeconds());
        n.put("mariadb_cpu_seconds", r.mariadbCpuSeconds());
        n.put("check_ok", r.checkOk());
        return n;
    }

    private static String check(RateResult r) {
        String reconnects = r.counts().reconnects() > 0 ? ", " + r.counts().reconnects() + " reconnect(s)" : "";
        return r.checkOk()
                ? "OK" + reconnects
                : "FAILED (" + r.missing() + " missing, " + r.duplicates() + " twice" + reconnects + ")";
    }

    /** Percentiles in ms, and the whole histogram (HdrHistogram's compressed encoding, base64) as the raw samples. */
    private static ObjectNode histogramJson(Histogram h) {
        ObjectNode n = JSON.createObjectNode();
        n.put("count", h.getTotalCount());
        n.put("mean", h.getTotalCount() == 0 ? Double.NaN : h.getMean() / 1000.0);
        for (double p : PERCENTILES) {
            n.put("p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)), ms(h, p));
        }
        n.put("max", maxMs(h));
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        n.put(
                "hdr_histogram_micros_base64",
                Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
        return n;
    }

    /** The table for the terminal. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%-28s | %8s | %15s | %-44s | %-20s | %-20s | %-18s | %14s | %11s | %13s " + "| %s%n",
                "open-loop rate",
                "rows/txn",
                "achieved rows/s",
                "commit -> consumer ms: p50 / p95 / p99 / p99.9 / max",
                "commit -> sent p50/p99",
                "sent -> consumer p50/p99",
                "due -> consumer p99 / max",
                "due -> commit p99",
                "Kafka txn/s",
                "sluice CPU-s/s",
                "check"));
        for (RateResult r : rates) {
            Histograms h = r.latencies();
            Histogram c = h.commitToConsumer();
            out.append(String.format(
                    Locale.ROOT,
                    "%-28s | %8d | %,15.0f | %-44s | %-20s | %-20s | %-18s | %14.1f " + "| %11.0f | %13.2f | %s%n",
                    r.rate().label(),
                    r.schedule().rowsPerTransaction(),
                    r.achievedEventsPerSecond(),
                    String.format(
                            Locale.ROOT,
                            "%.1f / %.1f / %.1f / %.1f / %.1f",
                            ms(c, 50),
                            ms(c, 95),
                            ms(c, 99),
                            ms(c, 99.9),
                            maxMs(c)),
                    String.format(Locale.ROOT, "%.1f / %.1f", ms(h.commitToSent(), 50), ms(h.commitToSent(), 99)),
                    String.format(Locale.ROOT, "%.1f / %.1f", ms(h.sentToConsumer(), 50), ms(h.sentToConsumer(), 99)),
                    String.format(Locale.ROOT, "%.1f / %.1f", ms(h.dueToConsumer(), 99), maxMs(h.dueToConsumer())),
                    ms(h.dueToCommit(), 99),
                    r.kafkaCommitsPerSecond(),
                    r.sluiceCpuSeconds() / r.seconds(),
                    check(r)));
        }
        RateResult half = halfOfCapacity();
        out.append(
                half == null
                        ? "target commit -> consumer p99 <= 50 ms at half of capacity: not run\n"
                        : String.format(
                                Locale.ROOT,
                                "target commit -> consumer p99 <= 50 ms at half of capacity (%,.0f rows/s): "
                                        + "%s (p99 %.1f ms)%n",
                                half.rate().eventsPerSecond(),
                                targetMet() ? "MET" : "NOT MET",
                                half.p99Ms()));
        return out.toString();
    }

    /** Bars per rate: commit → consumer p50, p95, p99 and p99.9 in ms. */
    public String chart() {
        List<String> groups = rates.stream().map(r -> r.rate().label()).toList();
        List<SvgChart.Series> series = java.util.stream.Stream.of(50.0, 95.0, 99.0, 99.9)
                .map(p -> new SvgChart.Series(
                        "p" + (p == Math.rint(p) ? Long.toString(p.longValue()) : p.toString()),
                        rates.stream()
                                .mapToDouble(r -> ms(r.latencies().commitToConsumer(), p))
                                .toArray()))
                .toList();
        return SvgChart.bars("Commit -> read_committed consumer latency at open-loop rates (ms)", "ms", groups, series);
    }
}
