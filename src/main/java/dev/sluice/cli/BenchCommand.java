package dev.sluice.cli;

import dev.sluice.bench.BenchResult;
import dev.sluice.bench.PipelineBench;
import dev.sluice.bench.ReportTable;
import dev.sluice.ops.ExitCode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice bench ...}: benchmarks that measure Sluice and check the data it moved. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that measure Sluice on local servers and check the data it moved (see "
                + "docs/benchmarks.md).",
        subcommands = {BenchCommand.PipelineBenchCommand.class, PeerBenchCommand.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code sluice bench pipeline}. */
    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = {"Drain a binlog backlog into Kafka with exactly-once on, and time it.",
                    "Starts a fresh embedded MariaDB and a Kafka broker, writes the backlog of INSERTs into "
                            + "bench.rows (BIGINT id + 92-character payload = 100-byte rows) with no pipeline running, "
                            + "then starts `sluice run` in its own JVM from the start of the binlog and waits until "
                            + "a read_committed consumer sees the last transaction committed. Reports events/s, MiB/s, "
                            + "CPU-seconds per million events of the pipeline, broker and MariaDB, peak heap and RSS; "
                            + "checks the count and a checksum of the table topic against the source table and exits "
                            + "6 if they differ. Takes a few minutes and ~1 GB of disk in --work-dir for 1M events."})
    static final class PipelineBenchCommand implements Callable<Integer> {
        @Option(names = "--events", paramLabel = "N", defaultValue = "1000000",
                description = "Row changes in the backlog (default ${DEFAULT-VALUE}).")
        long events;

        @Option(names = "--single-row-share", paramLabel = "FRACTION", defaultValue = "0.1",
                description = "Fraction of the row changes that come from 1-row transactions; the rest come in "
                        + "100-row transactions (default ${DEFAULT-VALUE}). 0.1 means 100,000 1-row and 9,000 "
                        + "100-row transactions for 1M events: enough small transactions that per-transaction costs "
                        + "(GTID and XID events, commit boundaries) count, while one writer connection still loads "
                        + "them in seconds; all 1M as 1-row transactions would take the server ~21 s alone.")
        double singleRowShare;

        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "Fresh directory for the servers' data and the pipeline's config, log and GC log "
                        + "(default target/bench/<timestamp>). Kept after the run; delete it when done.")
        Path workDir;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to save the JSON result with its manifest (default "
                        + "bench-results/pipeline-<timestamp>.json).")
        Path out;

        @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "512m",
                description = "Maximum heap (-Xmx) of the pipeline JVM (default ${DEFAULT-VALUE}, the target's limit).")
        String heap;

        @Option(names = "--pipeline-jvm-option", paramLabel = "FLAG",
                description = "Extra JVM flag for the pipeline JVM, repeatable; e.g. to profile it: "
                        + "--pipeline-jvm-option=-XX:StartFlightRecording=filename=pipeline.jfr")
        List<String> pipelineJvmOptions = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            validate();
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path dir = workDir != null ? workDir : Path.of("target", "bench", stamp);
            Path json = out != null ? out : Path.of("bench-results", "pipeline-" + stamp + ".json");
            BenchResult result = new PipelineBench(new PipelineBench.Options(events, singleRowShare, dir, heap,
                    List.copyOf(pipelineJvmOptions))).run();
            result.writeJson(json);
            PrintStream stdout = System.out;
            stdout.println();
            stdout.print(ReportTable.render(result));
            stdout.println("JSON: " + json.toAbsolutePath() + "   servers and logs: " + dir.toAbsolutePath());
            if (!result.checkOk()) {
                System.err.println("sluice: check FAILED: Kafka has " + result.kafka().checksum()
                        + " but the source has " + result.source() + " (expected " + result.events() + " events)");
                return ExitCode.DATA.code();
            }
            return 0;
        }

        private void validate() {
            CommandLine cli = spec.commandLine();
            if (events < 1 || events > Integer.MAX_VALUE) {
                throw new CommandLine.ParameterException(cli, "--events must be between 1 and " + Integer.MAX_VALUE);
            }
            if (!(singleRowShare >= 0 && singleRowShare <= 1)) {
                throw new CommandLine.ParameterException(cli, "--single-row-share must be between 0 and 1");
            }
            if (!heap.matches("\\d+[kKmMgG]?")) {
                throw new CommandLine.ParameterException(cli, "--heap must look like -Xmx takes it: 512m, 1g, ...");
            }
            if (workDir != null && workDir.toFile().exists() && workDir.toFile().list().length > 0) {
                throw new CommandLine.ParameterException(cli, "--work-dir " + workDir + " is not empty; the benchmark "
                        + "needs fresh servers");
            }
        }
    }
}
