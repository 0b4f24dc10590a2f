package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.bench.ProducerBench.CaseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One {@code bench producer} run: the seed's table for the official tool and for Sluice's writer, each column also
 * as a ratio to the no-replication column (the first case), and Sluice's writer as a ratio of the official tool.
 */
public record ProducerBenchResult(ObjectNode manifest, ProducerBench.Options options, List<CaseResult> cases) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "producer");
        root.set("manifest", manifest);
        root.put("load_average_at_end", Manifest.loadAverage());
        root.put("check_ok", checkOk());
        root.put(
                "check_method",
                "read_committed consumer from the start: record count == sent, every value " + "record_bytes long");
        ArrayNode list = root.putArray("cases");
        CaseResult base = cases.get(0);
        for (CaseResult c : cases) {
            ObjectNode n = list.addObject();
            n.put("case", c.producerCase().name());
            n.put("label", c.producerCase().label());
            n.put("replication_factor", c.producerCase().replicationFactor());
            n.set("official_producer_props", JSON.valueToTree(c.producerCase().producerProps("(cluster)")));
            n.put("seed_records_per_sec", c.producerCase().seedRecordsPerSec());
            n.put(
                    "seed_ratio_to_no_replication",
                    c.producerCase().seedRecordsPerSec()
                            / (double) base.producerCase().seedRecordsPerSec());
            n.set("official", c.official().toJson());
            n.put(
                    "official_ratio_to_no_replication",
                    c.official().recordsPerSec() / base.official().recordsPerSec());
            n.set("sluice_writer", c.writer().toJson());
            n.put(
                    "sluice_writer_ratio_to_no_replication",
                    c.writer().recordsPerSec() / base.writer().recordsPerSec());
            n.put("sluice_writer_to_official", c.writerToOfficial());
            n.set("check_official_topic", JSON.valueToTree(c.officialCheck()));
            n.set("check_sluice_topic", JSON.valueToTree(c.writerCheck()));
        }
        return root;
    }

    public boolean checkOk() {
        return cases.stream().allMatch(CaseResult::checkOk);
    }

    /** The seed table's shape: one column per case, a row per metric, "(x0.57)" = ratio to the first column. */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("metric"));
        cases.forEach(c -> header.add(c.producerCase().label()));
        rows.add(header.toArray(String[]::new));
        rows.add(row(
                "seed records/sec (3 x m4.large, Kafka 0.9)",
                c -> (double) c.producerCase().seedRecordsPerSec(),
                "%,.0f"));
        addPerfRows(rows, "official", CaseResult::official);
        addPerfRows(rows, "sluice writer", CaseResult::writer);
        List<String> ratio = new ArrayList<>(List.of("sluice writer / official (records/sec)"));
        cases.forEach(c -> ratio.add(String.format(Locale.ROOT, "%.2f", c.writerToOfficial())));
        rows.add(ratio.toArray(String[]::new));
        List<String> check = new ArrayList<>(List.of("check (read_committed): official / sluice"));
        cases.forEach(c -> check.add((c.officialCheck().ok() ? "OK" : "FAIL") + " / "
                + (c.writerCheck().ok() ? "OK" : "FAIL")));
        rows.add(check.toArray(String[]::new));
        return format(rows);
    }

    private void addPerfRows(List<String[]> rows, String who, Function<CaseResult, PerfLine> line) {
        rows.add(row(who + " records/sec", c -> line.apply(c).recordsPerSec(), "%,.0f"));
        rows.add(row(who + " MB/sec", c -> line.apply(c).mbPerSec(), "%.2f"));
        rows.add(row(who + " avg latency ms", c -> line.apply(c).avgLatencyMs(), "%.2f"));
        rows.add(row(who + " max latency ms", c -> line.apply(c).maxLatencyMs(), "%.0f"));
        rows.add(row(who + " 50th ms", c -> line.apply(c).p50Ms(), "%.0f"));
        rows.add(row(who + " 95th ms", c -> line.apply(c).p95Ms(), "%.0f"));
        rows.add(row(who + " 99th ms", c -> line.apply(c).p99Ms(), "%.0f"));
        rows.add(row(who + " 99.9th ms", c -> line.apply(c).p999Ms(), "%.0f"));
    }

    private String[] row(String metric, ToDoubleFunction<CaseResult> value, String format) {
        List<String> cells = new ArrayList<>(List.of(metric));
        double base = value.applyAsDouble(cases.get(0));
        for (int i = 0; i < cases.size(); i++) {
            double v = value.applyAsDouble(cases.get(i));
            String text = String.format(Locale.ROOT, format, v);
            cells.add(i == 0 || base == 0 ? text : text + String.format(Locale.ROOT, " (x%.2f)", v / base));
        }
        return cells.toArray(String[]::new);
    }

    private static String format(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            for (int i = 0; i < widths.length; i++) {
                out.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", rows.get(r)[i]));
            }
            out.append('\n');
            if (r == 0) {
                out.append("-".repeat(out.length() - 1)).append('\n');
            }
        }
        return out.toString();
    }

    /** Records/sec per case: the seed's figure, the official tool here, Sluice's writer here. */
    public String chart() {
        List<String> groups = cases.stream()
                .map(c -> c.producerCase()
                        .label()
                        .replaceAll(",? ?\\(.*\\)", "")
                        .replace(", batch.size=64000", " b=64000"))
                .toList();
        return SvgChart.bars(
                "Kafka producer, 1 thread, " + options.recordSize() + "-byte records, " + options.partitions()
                        + " partitions, " + options.brokers() + " brokers on loopback",
                "records/sec",
                groups,
                List.of(
                        new SvgChart.Series(
                                "seed (Kafka 0.9, 3 x m4.large)",
                                cases.stream()
                                        .mapToDouble(c -> c.producerCase().seedRecordsPerSec())
                                        .toArray()),
                        new SvgChart.Series(
                                "ProducerPerformance",
                                cases.stream()
                                        .mapToDouble(c -> c.official().recordsPerSec())
                                        .toArray()),
                        new SvgChart.Series(
                                "Sluice KafkaWriter (EOS)",
                                cases.stream()
                                        .mapToDouble(c -> c.writer().recordsPerSec())
                                        .toArray())));
    }
}
