package dev.sluice.bench;

import dev.sluice.failure.ExitCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice bench peer}: the pipeline bench's backlog drained by Sluice and by Debezium, side by side. */
@Command(
        name = "peer",
        mixinStandardHelpOptions = true,
        description = {
            "Drain the same binlog backlog into the same Kafka broker with Sluice and with Debezium's "
                    + "embedded engine, alternating (A B A B) over several rounds, and report the ratio.",
            "For each workload (W1-W7 of `bench pipeline`, or MIX): a fresh embedded MariaDB with the backlog in "
                    + "its binlog; then per round Sluice (`sluice run` in its own JVM) and Debezium 3.5 (embedded "
                    + "engine + MariaDB connector + a KafkaProducer, acks=all, in its own JVM), each from the "
                    + "first binlog event with new topics and state, timed until a consumer could read the whole "
                    + "backlog, and checked: every table topic rebuilt must hold the events per operation that "
                    + "were written and equal the source tables (count and checksum; for Debezium over the "
                    + "columns it writes as the source's text). Round 1 is not counted; the figures are medians "
                    + "of the other rounds, the ratio Sluice/Debezium per workload and their geometric mean. "
                    + "Saves JSON and an SVG chart next to it.",
            "Needs the peer built once: mvn -B -q -f peer/debezium/pom.xml -DskipTests package"
        })
final class PeerBenchCommand implements Callable<Integer> {
    @Option(
            names = "--peer",
            paramLabel = "NAME",
            defaultValue = "debezium",
            description = "The peer system; only `debezium` (default) exists.")
    String peer;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "300000",
            description = "Row changes per workload (default ${DEFAULT-VALUE}; 0 = each workload's `bench pipeline` "
                    + "default). W2 adds its large transaction (--large-transaction-rows). Use 1000000 or more for "
                    + "steadier figures; W5's rows are 4-16 KB, so give it fewer (e.g. run it alone with 30000).")
    long events;

    @Option(
            names = "--workloads",
            paramLabel = "W",
            split = ",",
            defaultValue = "W1,W2",
            description = "Workloads, comma-separated (default ${DEFAULT-VALUE}): W1 narrow row, 1 row per "
                    + "transaction; W2 100 rows per transaction plus one large transaction; W3 wide typed row; W4 "
                    + "update-heavy; W5 4-16 KB rows; W6 100 tables; W7 ALTER halfway; MIX `bench pipeline`'s earlier "
                    + "default (10 %% of rows in 1-row transactions). See `sluice bench pipeline --help`.")
    List<Workload> workloads;

    @Option(
            names = "--large-transaction-rows",
            paramLabel = "N",
            defaultValue = "1000000",
            description = "Rows of W2's single large transaction (default ${DEFAULT-VALUE}).")
    long largeTransactionRows;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            defaultValue = "3",
            description = "Rounds of Sluice then Debezium per workload, the first not counted (default "
                    + "${DEFAULT-VALUE}, the protocol's minimum; 5 gives a median of 4).")
    int rounds;

    @Option(
            names = "--heap",
            paramLabel = "SIZE",
            defaultValue = "512m",
            description = "-Xmx of Sluice's pipeline JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(
            names = "--peer-heap",
            paramLabel = "SIZE",
            defaultValue = "2g",
            description =
                    "-Xmx of Debezium's JVM (default ${DEFAULT-VALUE}; its heap peaked at 0.4-0.65 GB in 300k-event "
                            + "runs, and ~1.5 GB was seen on 1M events without Kafka).")
    String peerHeap;

    @Option(
            names = "--peer-dir",
            paramLabel = "DIR",
            description = "The peer's Maven project, with target/sluice-peer-debezium.jar and target/classpath.txt "
                    + "built (default: peer/debezium of this checkout).")
    Path peerDir;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Fresh directory for the servers, configs and logs (default target/bench/peer-<timestamp>).")
    Path workDir;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "The JSON result (default bench-results/peer-<timestamp>.json); the SVG chart goes next "
                    + "to it with the extension .svg.")
    Path out;

    @Option(
            names = "--pipeline-jvm-option",
            paramLabel = "FLAG",
            description = "Extra JVM flag for Sluice's pipeline JVM, repeatable.")
    List<String> pipelineJvmOptions = new ArrayList<>();

    @Option(
            names = "--peer-jvm-option",
            paramLabel = "FLAG",
            description = "Extra JVM flag for Debezium's JVM, repeatable; e.g. "
                    + "--peer-jvm-option=-XX:StartFlightRecording=filename=peer.jfr")
    List<String> peerJvmOptions = new ArrayList<>();

    @Option(
            names = "--broker-setting",
            paramLabel = "KEY=VALUE",
            description = "A setting of the bench's Kafka broker, repeatable, replacing Kafka's default (both systems "
                    + "write to that broker). Recorded in the JSON's manifest.")
    Map<String, String> brokerSettings = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validate();
        String stamp = BenchCommand.stamp();
        Path dir = workDir != null ? workDir : Path.of("target", "bench", "peer-" + stamp);
        Path json = out != null ? out : Path.of("bench-results", "peer-" + stamp + ".json");
        ComparisonResult result = new PeerComparison(new PeerComparison.Options(
                        new Workload.Size(events, largeTransactionRows, Workload.Size.DEFAULTS.singleRowShare()),
                        List.copyOf(workloads),
                        rounds,
                        dir,
                        heap,
                        peerHeap,
                        peerDir != null ? peerDir : DebeziumPeer.defaultDir(),
                        List.copyOf(pipelineJvmOptions),
                        List.copyOf(peerJvmOptions),
                        Map.copyOf(brokerSettings)))
                .run();
        BenchCommand.report(
                json, result.toJson(), result.chart(), result.table(), "   servers and logs: " + dir.toAbsolutePath());
        return result.checksOk() ? 0 : ExitCode.DATA.code();
    }

    private void validate() {
        CommandLine cli = spec.commandLine();
        if (!peer.equals("debezium")) {
            throw new CommandLine.ParameterException(cli, "--peer: only `debezium` is supported");
        }
        if (events < 0 || events > Integer.MAX_VALUE) {
            throw new CommandLine.ParameterException(cli, "--events must be between 0 and " + Integer.MAX_VALUE);
        }
        if (largeTransactionRows < 1 || largeTransactionRows > 100_000_000) {
            throw new CommandLine.ParameterException(cli, "--large-transaction-rows must be between 1 and 100000000");
        }
        if (workloads.isEmpty() || workloads.stream().distinct().count() != workloads.size()) {
            throw new CommandLine.ParameterException(cli, "--workloads must list distinct workloads");
        }
        if (rounds < 3) {
            throw new CommandLine.ParameterException(cli, "--rounds must be at least 3 (the first is not counted)");
        }
        if (!heap.matches("\\d+[kKmMgG]?") || !peerHeap.matches("\\d+[kKmMgG]?")) {
            throw new CommandLine.ParameterException(cli, "--heap and --peer-heap look like -Xmx takes them: 512m, 2g");
        }
        if (workDir != null && workDir.toFile().exists() && workDir.toFile().list().length > 0) {
            throw new CommandLine.ParameterException(cli, "--work-dir " + workDir + " is not empty");
        }
        try {
            DebeziumPeer.classpath(peerDir != null ? peerDir : DebeziumPeer.defaultDir());
        } catch (IllegalStateException notBuilt) {
            throw new CommandLine.ParameterException(cli, notBuilt.getMessage());
        }
    }
}
