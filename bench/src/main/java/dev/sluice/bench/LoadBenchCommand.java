package dev.sluice.bench;

import dev.sluice.failure.ExitCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice bench load}: the same change topics loaded into PostgreSQL by Sluice and by four other loaders. */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description = {
            "Load the change topics of `bench pipeline`'s workloads into PostgreSQL (127.0.0.1:5432, a fresh "
                    + "database per load, dropped after it) with Sluice and, side by side in the same run over the "
                    + "same topics: (a) one INSERT/UPDATE/DELETE per event with autocommit, (b) multi-row INSERT ... "
                    + "ON CONFLICT batches, (c) a COPY of the final rows (the ceiling), (d) Debezium's JDBC sink "
                    + "3.5.0.Final in Kafka Connect reading Debezium's own topics of the same backlog. Each loader "
                    + "runs in its own JVM, timed from its launch until the target holds every change; reports "
                    + "events/s, CPU-s per 1M events of the loader, PostgreSQL and the broker, and the loader's "
                    + "peak heap; medians of the runs after the first. Every load is checked: each table read in key "
                    + "order must equal the source (exit 6 if not).",
            "(d) needs its peers built once: mvn -B -q -f peer/debezium/pom.xml -DskipTests package; "
                    + "mvn -B -q -f peer/debezium-jdbc/pom.xml -DskipTests package"
        })
final class LoadBenchCommand implements Callable<Integer> {
    @Option(
            names = {"--events", "--rows"},
            paramLabel = "N",
            defaultValue = "30000",
            description = "Row changes per workload (default ${DEFAULT-VALUE}, so that loaders (a) and (d), a few "
                    + "hundred to a few thousand events/s here, finish 3 runs of 4 workloads in about 45 minutes on 2 "
                    + "cores; 0 = `bench pipeline`'s size of each).")
    long events;

    @Option(
            names = "--workloads",
            paramLabel = "W",
            split = ",",
            defaultValue = "W1,W3,W4,W6",
            description = "Workloads, in this order (default ${DEFAULT-VALUE}); see `sluice bench pipeline --help`.")
    List<Workload> workloads;

    @Option(
            names = "--loaders",
            paramLabel = "L",
            split = ",",
            defaultValue = "s,a,b,c,d",
            description = "Loaders, in this order on odd runs and reversed on even ones (default ${DEFAULT-VALUE}): "
                    + "s Sluice, a row by row, b multi-row batches, c COPY of the final rows, d Debezium's JDBC sink.")
    List<String> loaders;

    @Option(
            names = "--runs",
            paramLabel = "N",
            defaultValue = "3",
            description = "Loads per loader and workload; with more than one the first is not counted (default "
                    + "${DEFAULT-VALUE}: medians of two).")
    int runs;

    @Option(
            names = "--heap",
            paramLabel = "SIZE",
            defaultValue = "512m",
            description = "-Xmx of Sluice's loader and of loaders (a)-(c) (default ${DEFAULT-VALUE}, the target).")
    String heap;

    @Option(
            names = "--loader-jvm-option",
            paramLabel = "FLAG",
            description = "Extra JVM flag for Sluice's loader JVM, repeatable; e.g. to profile it: "
                    + "--loader-jvm-option=-XX:StartFlightRecording=filename=load.jfr")
    List<String> loaderJvmOptions = new ArrayList<>();

    @Option(
            names = "--batch-events",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Loader (b)'s change events per batch and rows per INSERT (default ${DEFAULT-VALUE}).")
    int batchEvents;

    @Option(
            names = "--peer-heap",
            paramLabel = "SIZE",
            defaultValue = "2g",
            description = "-Xmx of Debezium's capture and of its JDBC sink (default ${DEFAULT-VALUE}).")
    String peerHeap;

    @Option(
            names = "--debezium-batch-size",
            paramLabel = "N",
            defaultValue = "500",
            description = "The JDBC sink's batch.size (default ${DEFAULT-VALUE}, Debezium's own).")
    int debeziumBatchSize;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Fresh directory for the servers, configs and logs (default target/bench/load-<timestamp>).")
    Path workDir;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "The JSON result (default bench-results/load-<timestamp>.json).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<LoadSystem> systems = systems();
        validate();
        String stamp = BenchCommand.stamp();
        Path dir = workDir != null ? workDir : Path.of("target", "bench", "load-" + stamp);
        Path json = out != null ? out : Path.of("bench-results", "load-" + stamp + ".json");
        LoadBenchResult result = new LoadBench(new LoadBench.Options(
                        List.copyOf(workloads),
                        new Workload.Size(events, Workload.DEFAULT_LARGE_TRANSACTION_ROWS, 0.1),
                        runs,
                        systems,
                        dir,
                        heap,
                        List.copyOf(loaderJvmOptions),
                        batchEvents,
                        peerHeap,
                        debeziumBatchSize,
                        DebeziumPeer.defaultDir().getParent().getParent()))
                .run();
        BenchResult.writeJson(json, result.toJson());
        System.out.println();
        System.out.print(result.table());
        System.out.println("load average: " + Manifest.loadAverage());
        System.out.println("JSON: " + json.toAbsolutePath() + "   servers and logs: " + dir.toAbsolutePath());
        if (!result.checkOk()) {
            System.err.println("sluice: check FAILED: a loader's target differs from the source: "
                    + String.join("; ", result.failures()));
            return ExitCode.DATA.code();
        }
        return 0;
    }

    private List<LoadSystem> systems() {
        List<LoadSystem> systems = new ArrayList<>();
        for (String l : loaders) {
            String code = l.trim().toLowerCase(Locale.ROOT);
            LoadSystem system = java.util.Arrays.stream(LoadSystem.values())
                    .filter(s -> s.code().equals(code))
                    .findFirst()
                    .orElseThrow(() -> new CommandLine.ParameterException(
                            spec.commandLine(), "--loaders: '" + l + "' is not one of s, a, b, c, d"));
            systems.add(system);
        }
        return systems;
    }

    private void validate() {
        CommandLine cli = spec.commandLine();
        if (workloads.isEmpty() || workloads.stream().distinct().count() != workloads.size()) {
            throw new CommandLine.ParameterException(cli, "--workloads must list distinct workloads");
        }
        if (events < 0 || events > Integer.MAX_VALUE || runs < 1 || batchEvents < 1 || debeziumBatchSize < 1) {
            throw new CommandLine.ParameterException(
                    cli, "--events must be at least 0, --runs, --batch-events and --debezium-batch-size at least 1");
        }
        if (!heap.matches("\\d+[kKmMgG]?") || !peerHeap.matches("\\d+[kKmMgG]?")) {
            throw new CommandLine.ParameterException(cli, "--heap and --peer-heap look like 512m, 2g, ...");
        }
        if (workDir != null && workDir.toFile().exists() && workDir.toFile().list().length > 0) {
            throw new CommandLine.ParameterException(cli, "--work-dir " + workDir + " is not empty");
        }
    }
}
