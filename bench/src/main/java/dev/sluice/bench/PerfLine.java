package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The summary line of Kafka's {@code ProducerPerformance}: "N records sent, X records/sec (Y MB/sec), Z ms avg
 * latency, W ms max latency, a ms 50th, b ms 95th, c ms 99th, d ms 99.9th." MB are 2^20 bytes, as Kafka computes
 * them. Parsed from the official tool's output and printed in the same shape for Sluice's writer.
 */
public record PerfLine(
        long records,
        double recordsPerSec,
        double mbPerSec,
        double avgLatencyMs,
        double maxLatencyMs,
        double p50Ms,
        double p95Ms,
        double p99Ms,
        double p999Ms) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NUM = "([0-9.]+)";
    private static final Pattern LINE = Pattern.compile("(\\d+) records sent, " + NUM + " records/sec \\(" + NUM
            + " MB/sec\\), " + NUM + " ms avg latency, " + NUM + " ms max latency, " + NUM + " ms 50th, " + NUM
            + " ms 95th, " + NUM + " ms 99th, " + NUM + " ms 99.9th\\.?");

    /** The last summary line in a tool's output (progress lines have no percentiles and do not match). */
    public static Optional<PerfLine> findIn(List<String> output) {
        for (int i = output.size() - 1; i >= 0; i--) {
            Matcher m = LINE.matcher(output.get(i));
            if (m.find()) {
                return Optional.of(new PerfLine(
                        Long.parseLong(m.group(1)),
                        d(m, 2),
                        d(m, 3),
                        d(m, 4),
                        d(m, 5),
                        d(m, 6),
                        d(m, 7),
                        d(m, 8),
                        d(m, 9)));
            }
        }
        return Optional.empty();
    }

    private static double d(Matcher m, int group) {
        return Double.parseDouble(m.group(group));
    }

    /** Kafka's own format (ProducerPerformance.Stats.printTotal), percentiles printed as whole milliseconds. */
    public String format() {
        return String.format(
                Locale.ROOT,
                "%d records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, "
                        + "%.2f ms max latency, %.0f ms 50th, %.0f ms 95th, %.0f ms 99th, %.0f ms 99.9th.",
                records,
                recordsPerSec,
                mbPerSec,
                avgLatencyMs,
                maxLatencyMs,
                p50Ms,
                p95Ms,
                p99Ms,
                p999Ms);
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.valueToTree(this);
        n.put("line", format());
        return n;
    }
}
