package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.common.utils.AppInfoParser;

/** Everything needed to know what a result was measured on: versions, machine, JVM flags, settings, workload. */
public final class Manifest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVER_VARIABLES = List.of(
            "binlog_format",
            "binlog_row_image",
            "binlog_row_metadata",
            "sync_binlog",
            "innodb_flush_log_at_trx_commit",
            "innodb_buffer_pool_size",
            "gtid_strict_mode",
            "binlog_checksum",
            "log_bin_compress");

    private Manifest() {}

    /**
     * The manifest of a bench that runs Sluice against MariaDB; {@code workload} describes what it copied. {@code git}
     * is read when the run starts ({@link #gitDescription()}), closest to when the code was built; the build time of
     * the classes is recorded too, since the tree may change while a run takes minutes.
     */
    public static ObjectNode collect(
            MariaDbServer mariadb,
            KafkaBroker kafka,
            ObjectNode workload,
            Path config,
            List<String> pipelineJvmFlags,
            String git)
            throws SQLException {
        ObjectNode m = common(git);
        m.set("pipeline_jvm_flags", JSON.valueToTree(pipelineJvmFlags));
        m.set(
                "harness_jvm_flags",
                JSON.valueToTree(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.set("machine", machine());
        m.put("mariadb_version", mariadb.version());
        m.set("mariadb_settings", serverSettings(mariadb));
        m.put("kafka_version", AppInfoParser.getVersion());
        m.put("kafka_broker", "1 KRaft node (broker+controller), 512 MB heap, SerialGC, loopback");
        m.set("kafka_broker_settings", JSON.valueToTree(kafka.settings()));
        m.set("sluice_settings", BenchConfig.effective(config));
        m.set("workload", workload);
        m.put("load_average_at_start", loadAverage());
        return m;
    }

    /** What every manifest starts with: when, which Sluice (version, git, build) and which Java. */
    private static ObjectNode common(String git) {
        ObjectNode m = JSON.createObjectNode();
        m.put("date", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString());
        m.put("sluice_version", sluiceVersion());
        m.put("git", git);
        m.put("sluice_build", buildDescription());
        m.set("java", java());
        return m;
    }

    /**
     * The manifest of a Kafka-only benchmark ({@code bench producer}, {@code bench scale}): no database; the broker
     * setup, the client JVMs' flags and the workload are the caller's.
     */
    public static ObjectNode forKafkaBench(
            String brokers, List<String> clientJvmFlags, ObjectNode workload, String git) {
        ObjectNode m = common(git);
        m.set("client_jvm_flags", JSON.valueToTree(clientJvmFlags));
        m.set(
                "harness_jvm_flags",
                JSON.valueToTree(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.set("machine", machine());
        m.put("kafka_version", AppInfoParser.getVersion());
        m.put("kafka_brokers", brokers);
        m.set("workload", workload);
        m.put("load_average_at_start", loadAverage());
        return m;
    }

    private static ObjectNode java() {
        ObjectNode j = JSON.createObjectNode();
        j.put("version", System.getProperty("java.runtime.version"));
        j.put("vendor", System.getProperty("java.vendor"));
        j.put("vm", System.getProperty("java.vm.name"));
        return j;
    }

    private static ObjectNode machine() {
        ObjectNode m = JSON.createObjectNode();
        m.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu_model", procLine("/proc/cpuinfo", "model name"));
        m.put("memory_total", procLine("/proc/meminfo", "MemTotal"));
        m.put("clock_ticks_per_second", ProcessStats.clockTicksPerSecond());
        return m;
    }

    private static ObjectNode serverSettings(MariaDbServer mariadb) throws SQLException {
        ObjectNode s = JSON.createObjectNode();
        try (Connection c = mariadb.connect();
                Statement st = c.createStatement()) {
            for (String name : SERVER_VARIABLES) {
                try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL." + name)) {
                    s.put(name, rs.next() ? rs.getString(1) : null);
                }
            }
        }
        return s;
    }

    private static String sluiceVersion() {
        String v = Manifest.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    /** The commit checked out in the working directory, if it is the repository; marks uncommitted changes. */
    public static String gitDescription() {
        String head = run("git", "rev-parse", "--short", "HEAD");
        if (head.isEmpty()) {
            return "unknown";
        }
        return run("git", "status", "--porcelain", "--untracked-files=no").isEmpty()
                ? head
                : head + " + uncommitted changes";
    }

    /** Where the Sluice classes were loaded from and when they were built (the jar's or directory's time). */
    private static String buildDescription() {
        try {
            Path code = Path.of(Manifest.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return code + " modified "
                    + Files.getLastModifiedTime(code).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (URISyntaxException | IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** 1-, 5- and 15-minute load averages: how busy the shared machine was when the run began. */
    public static String loadAverage() {
        try {
            return String.join(
                    " ",
                    List.of(Files.readString(Path.of("/proc/loadavg")).trim().split(" "))
                            .subList(0, 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String procLine(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
