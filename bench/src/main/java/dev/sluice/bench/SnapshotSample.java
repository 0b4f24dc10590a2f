package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testkit.RowChecksum;
import java.util.Locale;

/**
 * One measured copy of the snapshot table by one method at one parallelism, in one round. {@code seconds} runs from
 * the start of the copier (the dump process, the first query, the Sluice JVM's launch) to the last row;
 * {@code copyRowsPerSecond} leaves start-up out where there is any (Sluice: from its first row sent, by the record's
 * Kafka timestamp, to the last row visible to a read_committed consumer). {@code bytes} are the method's own output ({@link Method#bytes}). {@code cpuSeconds} is the copier's
 * own process: mariadb-dump, the harness JVM during a raw scan, or Sluice's JVM from its start.
 * {@code othersCpuSeconds} is what the rest of the shared machine used meanwhile (all processes' busy time from
 * /proc/stat minus the bench's own), to tell a quiet run from a crowded one.
 */
public record SnapshotSample(
        Method method,
        int parallelism,
        int round,
        boolean counted,
        long rows,
        double seconds,
        double copyRowsPerSecond,
        long bytes,
        double cpuSeconds,
        double mariadbCpuSeconds,
        double brokerCpuSeconds,
        double othersCpuSeconds,
        long peakRssBytes,
        long peakHeapBytes,
        boolean checkOk,
        String check,
        ObjectNode detail) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MIB = 1 << 20;

    /** The ways the table is copied, with what their bytes are. */
    public enum Method {
        DUMP("mariadb-dump --single-transaction", "bytes of the dump file"),
        RAW_SELECT("raw JDBC SELECT", "bytes the server sent (session Bytes_sent)"),
        SLUICE("sluice snapshot", "Kafka key + value bytes of the table topic");

        private final String label;
        private final String bytes;

        Method(String label, String bytes) {
            this.label = label;
            this.bytes = bytes;
        }

        public String label() {
            return label;
        }

        public String bytes() {
            return bytes;
        }
    }

    public double rowsPerSecond() {
        return rows / seconds;
    }

    public double mibPerSecond() {
        return bytes / MIB / seconds;
    }

    static SnapshotSample of(int round, boolean counted, long rows, MariaDbDump.Run d) {
        boolean ok = d.rowsInFile() == rows;
        ObjectNode detail = JSON.createObjectNode();
        detail.put("command", String.join(" ", d.command()));
        detail.put(
                "cpu_note",
                "utime+stime of the mariadb-dump process (cutime/cstime of the shell that waited " + "for it)");
        return new SnapshotSample(
                Method.DUMP,
                1,
                round,
                counted,
                rows,
                d.seconds(),
                rows / d.seconds(),
                d.bytes(),
                d.cpuSeconds(),
                d.mariadbCpuSeconds(),
                0,
                d.othersCpuSeconds(),
                -1,
                -1,
                ok,
                (ok ? "OK " : "FAIL ") + d.rowsInFile() + " rows in the dump, " + rows + " expected",
                detail);
    }

    static SnapshotSample of(int round, boolean counted, long rows, RawScan.Run r) {
        boolean ok = r.rows() == rows;
        ObjectNode detail = JSON.createObjectNode();
        detail.put("query", r.query());
        detail.put("cpu_note", "the harness JVM's process CPU during the scan (JDBC driver and row reading)");
        return new SnapshotSample(
                Method.RAW_SELECT,
                r.parallelism(),
                round,
                counted,
                rows,
                r.seconds(),
                rows / r.seconds(),
                r.bytesSent(),
                r.cpuSeconds(),
                r.mariadbCpuSeconds(),
                0,
                r.othersCpuSeconds(),
                -1,
                -1,
                ok,
                (ok ? "OK " : "FAIL ") + r.rows() + " rows read, " + rows + " expected",
                detail);
    }

    static SnapshotSample of(
            int parallelism,
            int round,
            boolean counted,
            long rows,
            SluiceDrain.SnapshotMeasurement m,
            DrainVerifier.Seen seen,
            RowChecksum source) {
        boolean ok = source.count() == rows
                && seen.checksum().equals(source)
                && seen.distinctIds() == rows
                && seen.otherOps() == 0
                && seen.wrongTypes() == 0;
        String check = String.format(
                Locale.ROOT,
                "%s count kafka %d / source %d; distinct ids %d; records not op r "
                        + "%d; records with a wrong JSON type %d; checksum kafka %d / source %d",
                ok ? "OK" : "FAIL",
                seen.checksum().count(),
                source.count(),
                seen.distinctIds(),
                seen.otherOps(),
                seen.wrongTypes(),
                seen.checksum().sum(),
                source.sum());
        return new SnapshotSample(
                Method.SLUICE,
                parallelism,
                round,
                counted,
                rows,
                m.seconds(),
                m.arrival().recordsPerSecondSinceFirstSent(),
                seen.payloadBytes(),
                m.sluice().cpuSeconds(),
                m.mariadbCpuSeconds(),
                m.brokerCpuSeconds(),
                m.othersCpuSeconds(),
                m.sluice().peakRssBytes(),
                m.gc().peakUsedBytes(),
                ok,
                check,
                sluiceDetail(m, seen));
    }

    private static ObjectNode sluiceDetail(SluiceDrain.SnapshotMeasurement m, DrainVerifier.Seen seen) {
        ObjectNode d = JSON.createObjectNode();
        d.put("seconds_to_first_row_sent", m.secondsToFirstRowSent());
        d.put("seconds_to_first_row_visible", m.secondsToFirstRow());
        d.put("kafka_key_bytes", seen.keyBytes());
        d.put("kafka_value_bytes", seen.valueBytes());
        d.put("cpu_note", "whole pipeline JVM life up to the last row, JVM start-up included");
        ObjectNode threads = d.putObject("cpu_seconds_by_thread");
        m.sluiceThreadCpuSeconds().forEach(threads::put);
        // Threads that ended before /proc was read (the snapshot readers end with the copy) are gone from
        // /proc/<pid>/task; their CPU is only in the process total.
        d.put(
                "cpu_seconds_of_ended_threads",
                m.sluice().cpuSeconds()
                        - m.sluiceThreadCpuSeconds().values().stream()
                                .mapToDouble(Double::doubleValue)
                                .sum());
        d.put("gc", m.gc().collector());
        d.put("gc_pauses", m.gc().pauses());
        d.put("gc_pause_ms_total", m.gc().pauseMs());
        d.put("peak_heap_after_gc_bytes", m.gc().peakAfterGcBytes());
        d.put("peak_heap_committed_bytes", m.gc().peakCommittedBytes());
        d.put("broker_peak_rss_bytes", m.broker().peakRssBytes());
        d.put("mariadbd_peak_rss_bytes", m.mariadb().peakRssBytes());
        d.put("harness_cpu_seconds", m.harnessCpuSeconds());
        d.put("exit_code_after_sigterm", m.exitCode());
        d.put("timeline_columns", "ms since the pipeline JVM was launched, committed records a consumer had seen");
        ArrayNode timeline = d.putArray("timeline");
        for (long[] point : m.arrival().timeline()) {
            timeline.addArray().add(point[0] - m.startedAtMs()).add(point[1]);
        }
        return d;
    }

    ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("method", method.label());
        n.put("parallelism", parallelism);
        n.put("round", round);
        n.put("counted", counted);
        n.put("rows", rows);
        n.put("seconds", seconds);
        n.put("rows_per_second", rowsPerSecond());
        n.put("copy_rows_per_second", copyRowsPerSecond);
        n.put("bytes", bytes);
        n.put("bytes_are", method.bytes());
        n.put("mib_per_second", mibPerSecond());
        n.put("cpu_seconds", cpuSeconds);
        n.put("mariadbd_cpu_seconds", mariadbCpuSeconds);
        n.put("broker_cpu_seconds", brokerCpuSeconds);
        n.put("others_cpu_seconds", othersCpuSeconds);
        n.put("peak_rss_bytes", peakRssBytes);
        n.put("peak_heap_used_bytes", peakHeapBytes);
        n.put("check_ok", checkOk);
        n.put("check", check);
        n.set("detail", detail);
        return n;
    }
}
