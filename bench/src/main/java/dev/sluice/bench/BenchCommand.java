package dev.sluice.bench;

import dev.sluice.cli.AddOnCommand;
import dev.sluice.config.ConfigKeys;
import dev.sluice.failure.ExitCode;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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

/** {@code sluice bench ...}: benchmarks that measure Sluice and check the data it moved. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that measure Sluice on local servers and check the data it moved (see "
                + "docs/benchmarks.md).",
        subcommands = {
            BenchCommand.PipelineBenchCommand.class,
            BenchCommand.ProducerBenchCommand.class,
            BenchCommand.ScaleBenchCommand.class,
            PeerBenchCommand.class,
            BenchCommand.SnapshotBenchCommand.class,
            LoadBenchCommand.class
        })
public final class BenchCommand implements Runnable, AddOnCommand {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code sluice bench pipeline}. */
    @Command(
            name = "pipeline",
            mixinStandardHelpOptions = true,
            description = {
                "Drain binlog backlogs of the workloads W1-W7 into Kafka with exactly-once on, time them, "
                        + "and check every event.",
                "Starts a Kafka broker; then for each workload a fresh embedded MariaDB, writes the workload's "
                        + "backlog with no pipeline running (W1 narrow 100-byte rows, 1 row per transaction; W2 100 "
                        + "rows per transaction plus one 1M-row transaction halfway; W3 a wide typed row; W4 "
                        + "update-heavy with deletes; W5 4-16 KB rows; W6 100 tables; W7 an ALTER TABLE ADD COLUMN "
                        + "halfway; MIX the earlier default mix), starts `sluice run` in its own JVM from the start "
                        + "of the binlog and waits until a read_committed consumer sees the last transaction "
                        + "committed. Reports per workload events/s, MiB/s, time to first commit, CPU-seconds per "
                        + "million events of the pipeline, broker and MariaDB, peak heap and RSS, and whether W2's "
                        + "1M-row transaction stayed within a 512 MB heap and was atomic. Checks every run: each "
                        + "table topic read back and rebuilt (last image per key) must hold the events per "
                        + "operation that were written and equal the source table (count and checksum); exits 6 "
                        + "if not. Saves JSON and an SVG chart. About 3.5 minutes with the defaults on a quiet "
                        + "2-core machine (5-7 on a busy one), ~2 GB of disk in --work-dir while it runs."
            })
    static final class PipelineBenchCommand implements Callable<Integer> {
        @Option(
                names = "--workloads",
                paramLabel = "W",
                split = ",",
                defaultValue = "W1,W2,W3,W4,W5,W6,W7",
                description = "Workloads to run, in this order (default ${DEFAULT-VALUE}; MIX is the earlier "
                        + "default backlog, 10 %% of rows in 1-row and 90 %% in 100-row transactions).")
        List<Workload> workloads;

        @Option(
                names = "--events",
                paramLabel = "N",
                defaultValue = "0",
                description = "Row changes per workload; 0 (default) = each workload's own: W1-W3, W6, W7 300,000; "
                        + "W4 450,000; W5 45,000; MIX 1,000,000. W2 adds its large transaction.")
        long events;

        @Option(
                names = "--large-transaction-rows",
                paramLabel = "N",
                defaultValue = "1000000",
                description = "Rows of W2's single large transaction (default ${DEFAULT-VALUE}, exactly Sluice's "
                        + "pipeline.max-transaction-events; more than that is committed in parts).")
        long largeTransactionRows;

        @Option(
                names = "--single-row-share",
                paramLabel = "FRACTION",
                defaultValue = "0.1",
                description = "MIX only: fraction of the row changes that come from 1-row transactions; the rest come "
                        + "in 100-row transactions (default ${DEFAULT-VALUE}).")
        double singleRowShare;

        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description = "Fresh directory for the servers' data and the pipelines' configs, logs and GC logs "
                        + "(default target/bench/<timestamp>). Kept after the run, except the broker's data; delete "
                        + "it when done.")
        Path workDir;

        @Option(
                names = "--out",
                paramLabel = "FILE",
                description = "Where to save the JSON result with its manifest (default "
                        + "bench-results/pipeline-<timestamp>.json); the SVG chart goes next to it with the "
                        + "extension .svg.")
        Path out;

        @Option(
                names = "--heap",
                paramLabel = "SIZE",
                defaultValue = "512m",
                description = "Maximum heap (-Xmx) of the pipeline JVM (default ${DEFAULT-VALUE}, the target's limit).")
        String heap;

        @Option(
                names = "--pipeline-jvm-option",
                paramLabel = "FLAG",
                description = "Extra JVM flag for the pipeline JVM, repeatable; e.g. to profile it: "
                        + "--pipeline-jvm-option=-XX:StartFlightRecording=filename=pipeline.jfr")
        List<String> pipelineJvmOptions = new ArrayList<>();

        @Option(
                names = "--latency-rates",
                paramLabel = "R,R,...",
                split = ",",
                defaultValue = "1500,10000,half",
                description = "After the drains, the open-loop latency run: rows per second written on a fixed "
                        + "schedule while a running pipeline streams them; `half` = half of W1's steady drain rate "
                        + "(of the first workload's without W1). Default ${DEFAULT-VALUE}; `none` skips it.")
        List<String> latencyRates;

        @Option(
                names = "--latency-seconds",
                paramLabel = "S",
                defaultValue = "20",
                description = "Measured seconds per latency rate, after --latency-warmup-seconds (default "
                        + "${DEFAULT-VALUE}).")
        double latencySeconds;

        @Option(
                names = "--latency-warmup-seconds",
                paramLabel = "S",
                defaultValue = "5",
                description = "Seconds written at each rate before measuring starts (default ${DEFAULT-VALUE}).")
        double latencyWarmupSeconds;

        @Option(
                names = "--latency-max-source-tps",
                paramLabel = "N",
                defaultValue = "2000",
                description = "Most source transactions per second the latency writers commit (default "
                        + "${DEFAULT-VALUE}): up to this rate every row is its own transaction, above it rows are "
                        + "grouped (10,000 rows/s = 2,000 transactions of 5 rows).")
        int latencyMaxSourceTps;

        @Option(
                names = "--latency-writers",
                paramLabel = "N",
                defaultValue = "8",
                description = "Writer connections sharing the latency schedule (default ${DEFAULT-VALUE}), so one slow "
                        + "commit does not hold up the next due write.")
        int latencyWriters;

        @Option(
                names = "--latency-pipeline-setting",
                paramLabel = "KEY=VALUE",
                description = "A config setting for the latency run's pipeline, repeatable; e.g. "
                        + "--latency-pipeline-setting pipeline.commit-min-interval-ms=100 to measure the commit "
                        + "timing before it committed as soon as it caught up.")
        Map<String, String> latencyPipelineSettings = new LinkedHashMap<>();

        @Option(
                names = "--broker-setting",
                paramLabel = "KEY=VALUE",
                description = "A setting of the bench's Kafka broker, repeatable, replacing Kafka's default; e.g. "
                        + "--broker-setting add.partitions.to.txn.retry.backoff.ms=5 (see docs/benchmarks.md, "
                        + "latency). Recorded in the JSON's manifest.")
        Map<String, String> brokerSettings = new LinkedHashMap<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            validate();
            String stamp = stamp();
            Path dir = workDir != null ? workDir : Path.of("target", "bench", stamp);
            Path json = out != null ? out : Path.of("bench-results", "pipeline-" + stamp + ".json");
            BenchResult result = new PipelineBench(
                            new PipelineBench.Options(
                                    List.copyOf(workloads),
                                    new Workload.Size(events, largeTransactionRows, singleRowShare),
                                    dir,
                                    heap,
                                    List.copyOf(pipelineJvmOptions),
                                    Map.copyOf(brokerSettings)),
                            latency())
                    .run();
            report(
                    json,
                    result.toJson(),
                    result.chart(),
                    result.table(),
                    "   servers and logs: " + dir.toAbsolutePath());
            if (result.latency() != null) {
                Path svg =
                        json.resolveSibling(json.getFileName().toString().replaceAll("\\.json$", "") + "-latency.svg");
                SvgChart.write(svg, result.latency().chart());
                System.out.println();
                System.out.print(result.latency().render());
                System.out.println("latency chart: " + svg.toAbsolutePath());
            }
            if (result.latency() != null && !result.latency().checkOk()) {
                System.err.println("sluice: check FAILED: in the latency run a row did not reach the consumer "
                        + "exactly once (see the JSON)");
                return ExitCode.DATA.code();
            }
            if (!result.checkOk()) {
                System.err.println("sluice: check FAILED: "
                        + String.join(
                                "; ",
                                result.runs().stream()
                                        .flatMap(r ->
                                                r.check().problems().stream().limit(3))
                                        .toList()));
                return ExitCode.DATA.code();
            }
            return 0;
        }

        private PipelineBench.Latency latency() {
            CommandLine cli = spec.commandLine();
            List<Double> rates = new ArrayList<>();
            for (String r : latencyRates) {
                String rate = r.trim().toLowerCase(java.util.Locale.ROOT);
                if (rate.equals("none")) {
                    continue;
                }
                double value;
                try {
                    value = rate.equals("half") ? PipelineBench.Latency.HALF_OF_CAPACITY : Double.parseDouble(rate);
                } catch (NumberFormatException e) {
                    throw new CommandLine.ParameterException(
                            cli,
                            "--latency-rates: '" + r + "' is neither a number of rows per second, `half` nor `none`");
                }
                if (value != PipelineBench.Latency.HALF_OF_CAPACITY && !(value > 0)) {
                    throw new CommandLine.ParameterException(
                            cli, "--latency-rates: '" + r + "' must be a positive number of rows per second");
                }
                rates.add(value);
            }
            if (!(latencySeconds > 0 && latencyWarmupSeconds >= 0 && latencyMaxSourceTps > 0 && latencyWriters > 0)) {
                throw new CommandLine.ParameterException(
                        cli,
                        "--latency-seconds, --latency-max-source-tps and "
                                + "--latency-writers must be positive, --latency-warmup-seconds at least 0");
            }
            for (String key : latencyPipelineSettings.keySet()) {
                if (ConfigKeys.named(key).isEmpty()) {
                    throw new CommandLine.ParameterException(
                            cli,
                            "--latency-pipeline-setting: '" + key
                                    + "' is not a Sluice setting (see `sluice config reference`)");
                }
            }
            return new PipelineBench.Latency(
                    rates,
                    latencyWarmupSeconds,
                    latencySeconds,
                    latencyMaxSourceTps,
                    latencyWriters,
                    Map.copyOf(latencyPipelineSettings));
        }

        private void validate() {
            CommandLine cli = spec.commandLine();
            if (workloads.isEmpty() || workloads.stream().distinct().count() != workloads.size()) {
                throw new CommandLine.ParameterException(cli, "--workloads must list distinct workloads");
            }
            if (events < 0 || events > Integer.MAX_VALUE) {
                throw new CommandLine.ParameterException(cli, "--events must be between 0 and " + Integer.MAX_VALUE);
            }
            if (largeTransactionRows < 1 || largeTransactionRows > 100_000_000) {
                throw new CommandLine.ParameterException(
                        cli, "--large-transaction-rows must be between 1 and " + "100000000");
            }
            if (!(singleRowShare >= 0 && singleRowShare <= 1)) {
                throw new CommandLine.ParameterException(cli, "--single-row-share must be between 0 and 1");
            }
            if (!heap.matches("\\d+[kKmMgG]?")) {
                throw new CommandLine.ParameterException(cli, "--heap must look like -Xmx takes it: 512m, 1g, ...");
            }
            if (workDir != null && workDir.toFile().exists() && workDir.toFile().list().length > 0) {
                throw new CommandLine.ParameterException(
                        cli, "--work-dir " + workDir + " is not empty; the benchmark " + "needs fresh servers");
            }
        }
    }

    static String stamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    /** {@code sluice bench producer}. */
    @Command(
            name = "producer",
            mixinStandardHelpOptions = true,
            description = {
                "Kafka's producer ceiling next to Sluice's writer, in the seed's three cases.",
                "Starts a local KRaft cluster (3 brokers on loopback, small heaps) and, for each case - (1) "
                        + "replication factor 1, acks=1; (2) RF 3, acks=0; (3) RF 3, acks=all, batch.size=64000 - "
                        + "runs the official org.apache.kafka.tools.ProducerPerformance (one thread, no key, "
                        + "--throughput -1) and then Sluice's transactional KafkaWriter with the same records, "
                        + "each in a fresh JVM on its own topic. Prints Kafka's line for every run, then a table "
                        + "with the seed's columns and figures (747,417 / 427,051 / 205,475 rec/s), each column's "
                        + "ratio to the no-replication case, and writer/official. Then reads every topic back with a "
                        + "read_committed consumer (count and size of the records; exit 6 if short). Saves JSON "
                        + "and an SVG chart. "
                        + "About 2-3 minutes with the defaults on 2 cores."
            })
    static final class ProducerBenchCommand implements Callable<Integer> {
        @Option(
                names = "--records",
                paramLabel = "N",
                defaultValue = "2000000",
                description = "Records per run; each case runs twice (official, Sluice), so 6 runs in all "
                        + "(default ${DEFAULT-VALUE}). The seed sent 50M per run.")
        long records;

        @Option(
                names = "--record-size",
                paramLabel = "BYTES",
                defaultValue = "100",
                description = "Value size of each record in bytes (default ${DEFAULT-VALUE}, the seed's).")
        int recordSize;

        @Option(
                names = "--partitions",
                paramLabel = "N",
                defaultValue = "6",
                description = "Partitions of each topic (default ${DEFAULT-VALUE}, the seed's).")
        int partitions;

        @Option(
                names = "--brokers",
                paramLabel = "N",
                defaultValue = "3",
                description = "Brokers in the local cluster, at least 3 for the RF 3 cases (default ${DEFAULT-VALUE}).")
        int brokers;

        @Option(
                names = "--broker-heap-mb",
                paramLabel = "MB",
                defaultValue = "384",
                description = "Heap of each broker JVM in MiB (default ${DEFAULT-VALUE}).")
        int brokerHeapMb;

        @Option(
                names = "--client-heap",
                paramLabel = "SIZE",
                defaultValue = "512m",
                description = "Heap of each client JVM, the official tool's and Sluice's alike (default "
                        + "${DEFAULT-VALUE}, what kafka-producer-perf-test.sh gives the tool).")
        String clientHeap;

        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description =
                        "Fresh directory for the brokers' data and logs (default target/bench/producer-<timestamp>)."
                                + " Configs and logs are kept after the run; the brokers' data is deleted unless --keep-data.")
        Path workDir;

        @Option(
                names = "--out",
                paramLabel = "FILE",
                description = "Where to save the JSON result (default bench-results/producer-<timestamp>.json); the "
                        + "SVG chart goes next to it with the extension .svg.")
        Path out;

        @Option(
                names = "--keep-data",
                description = "Keep the brokers' log directories in --work-dir after the run (by default they are "
                        + "deleted, since they hold gigabytes nobody reads again; configs and logs are kept).")
        boolean keepData;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            validate();
            String stamp = stamp();
            Path dir = workDir != null ? workDir : Path.of("target", "bench", "producer-" + stamp);
            Path json = out != null ? out : Path.of("bench-results", "producer-" + stamp + ".json");
            ProducerBenchResult result = new ProducerBench(
                            new ProducerBench.Options(
                                    records, recordSize, partitions, brokers, brokerHeapMb, clientHeap, dir, keepData),
                            System.out)
                    .run();
            report(json, result.toJson(), result.chart(), result.table(), "");
            if (!result.checkOk()) {
                System.err.println("sluice: check FAILED: a topic does not hold the records sent (see the JSON)");
                return ExitCode.DATA.code();
            }
            return 0;
        }

        private void validate() {
            CommandLine cli = spec.commandLine();
            if (records < 1) {
                throw new CommandLine.ParameterException(cli, "--records must be at least 1");
            }
            if (recordSize < 1 || partitions < 1 || brokerHeapMb < 128) {
                throw new CommandLine.ParameterException(
                        cli, "--record-size and --partitions must be at least 1, " + "--broker-heap-mb at least 128");
            }
            if (brokers < 3) {
                throw new CommandLine.ParameterException(
                        cli, "--brokers must be at least 3: two cases replicate 3 times");
            }
            if (!clientHeap.matches("\\d+[kKmMgG]?")) {
                throw new CommandLine.ParameterException(
                        cli, "--client-heap must look like -Xmx takes it: 512m, 1g, ...");
            }
        }
    }

    /** {@code sluice bench scale}. */
    @Command(
            name = "scale",
            mixinStandardHelpOptions = true,
            description = {
                "Throughput of N concurrent Sluice writers, and a Universal Scalability Law fit.",
                "Starts one Kafka broker on loopback; for each level N runs N Sluice KafkaWriters (one "
                        + "transactional producer and thread each) writing 100-byte records into one topic, "
                        + "discards a warm-up, and counts the records committed in a fixed window; levels run in rounds, "
                        + "every other round reversed. Fits X(N) = "
                        + "lambda*N / (1 + sigma*(N-1) + kappa*N*(N-1)) by nonlinear least squares and prints "
                        + "sigma, kappa, lambda, N* = sqrt((1-sigma)/kappa), X(N*) and the residuals. Saves "
                        + "JSON and an SVG chart of the points and the fitted curve. About 2.5 minutes with the "
                        + "defaults."
            })
    static final class ScaleBenchCommand implements Callable<Integer> {
        @Option(
                names = "--levels",
                paramLabel = "N,N,...",
                split = ",",
                defaultValue = "1,2,3,4,6,8",
                description = "Concurrency levels (numbers of writers), at least 3, run in this order "
                        + "(default ${DEFAULT-VALUE}).")
        List<Integer> levels;

        @Option(
                names = "--warmup-seconds",
                paramLabel = "S",
                defaultValue = "3",
                description = "Seconds each level runs before its window opens (default ${DEFAULT-VALUE}).")
        int warmupSeconds;

        @Option(
                names = "--measure-seconds",
                paramLabel = "S",
                defaultValue = "8",
                description = "Length of each level's window in seconds (default ${DEFAULT-VALUE}).")
        int measureSeconds;

        @Option(
                names = "--record-size",
                paramLabel = "BYTES",
                defaultValue = "100",
                description = "Value size of each record in bytes (default ${DEFAULT-VALUE}).")
        int recordSize;

        @Option(
                names = "--partitions",
                paramLabel = "N",
                defaultValue = "6",
                description = "Partitions of the topic all writers share (default ${DEFAULT-VALUE}).")
        int partitions;

        @Option(
                names = "--broker-heap-mb",
                paramLabel = "MB",
                defaultValue = "512",
                description = "Heap of the broker JVM in MiB (default ${DEFAULT-VALUE}).")
        int brokerHeapMb;

        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description =
                        "Fresh directory for the broker's data and logs (default target/bench/scale-<timestamp>).")
        Path workDir;

        @Option(
                names = "--out",
                paramLabel = "FILE",
                description = "Where to save the JSON result (default bench-results/scale-<timestamp>.json); the SVG "
                        + "chart goes next to it with the extension .svg.")
        Path out;

        @Option(
                names = "--rounds",
                paramLabel = "N",
                defaultValue = "2",
                description = "Times each level is measured; even rounds run the levels in reverse order, and every "
                        + "measurement is a point of the fit (default ${DEFAULT-VALUE}).")
        int rounds;

        @Option(
                names = "--keep-data",
                description = "Keep the broker's log directory in --work-dir after the run (by default it is deleted: "
                        + "several GB nobody reads again; config and logs are kept).")
        boolean keepData;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            validate();
            String stamp = stamp();
            Path dir = workDir != null ? workDir : Path.of("target", "bench", "scale-" + stamp);
            Path json = out != null ? out : Path.of("bench-results", "scale-" + stamp + ".json");
            ScaleBenchResult result = new ScaleBench(new ScaleBench.Options(
                            List.copyOf(levels),
                            rounds,
                            warmupSeconds,
                            measureSeconds,
                            recordSize,
                            partitions,
                            brokerHeapMb,
                            dir,
                            keepData))
                    .run();
            report(json, result.toJson(), result.chart(), result.table(), "");
            return 0;
        }

        private void validate() {
            CommandLine cli = spec.commandLine();
            if (levels.size() < 3 || levels.stream().anyMatch(n -> n < 1)) {
                throw new CommandLine.ParameterException(cli, "--levels needs at least 3 levels, each at least 1");
            }
            if (rounds < 1
                    || warmupSeconds < 0
                    || measureSeconds < 1
                    || recordSize < 1
                    || partitions < 1
                    || brokerHeapMb < 128) {
                throw new CommandLine.ParameterException(
                        cli,
                        "--measure-seconds, --record-size and --partitions must "
                                + "be at least 1, --rounds at least 1, --warmup-seconds at least 0, --broker-heap-mb at least 128");
            }
        }
    }

    /** {@code sluice bench snapshot}. */
    @Command(
            name = "snapshot",
            mixinStandardHelpOptions = true,
            description = {
                "Copy a table into Kafka with Sluice's initial snapshot, next to mariadb-dump and a raw "
                        + "JDBC SELECT of the same table in the same run.",
                "Starts a fresh embedded MariaDB and a Kafka broker and generates bench.snap server-side (BIGINT "
                        + "key, INT, SMALLINT, TINYINT, two VARCHARs, DECIMAL(12,2), two DATETIME(6), a ~100-byte "
                        + "TEXT; ~220 bytes per row; not in the binlog). Then in each round, every other round in "
                        + "reverse order: mariadb-dump --single-transaction of the table into a file; a raw JDBC "
                        + "SELECT of every column with streaming result sets at each --parallelism (primary-key "
                        + "ranges, one connection each); and `sluice run` with snapshot.mode=initial at each "
                        + "--parallelism, in its own JVM with fresh topics, timed from JVM launch until a "
                        + "read_committed consumer has every row. Each Sluice run's topic is read back: count, "
                        + "distinct ids, op r, and a checksum of every column against the source; any difference "
                        + "exits 6. Prints medians (round 1 is a warm-up when there are several), ratios to the "
                        + "raw SELECT and to mariadb-dump, the parallel speed-up, and writes JSON and an SVG chart. "
                        + "About 2.5 minutes with the defaults on 2 cores; --rows 10000000 takes ~10x as long and "
                        + "~15 GB of disk while it runs."
            })
    static final class SnapshotBenchCommand implements Callable<Integer> {
        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "1000000",
                description = "Rows in bench.snap (default ${DEFAULT-VALUE}; the issue's large case is 10000000).")
        long rows;

        @Option(
                names = "--parallelism",
                paramLabel = "N,N,...",
                split = ",",
                defaultValue = "1,2,4",
                description = "snapshot.parallelism levels for Sluice, and connections of the raw SELECT, starting "
                        + "with 1 (default ${DEFAULT-VALUE}).")
        List<Integer> parallelism;

        @Option(
                names = "--rounds",
                paramLabel = "N",
                defaultValue = "3",
                description = "Rounds of every method (default ${DEFAULT-VALUE}); with more than one, round 1 warms "
                        + "the buffer pool and the JIT and is not counted, and the figures are medians.")
        int rounds;

        @Option(
                names = "--chunk-size",
                paramLabel = "ROWS",
                defaultValue = "0",
                description = "snapshot.chunk-size for Sluice; 0 (default) leaves Sluice's default.")
        int chunkSize;

        @Option(
                names = "--buffer-pool",
                paramLabel = "SIZE",
                defaultValue = "1G",
                description = "innodb_buffer_pool_size of the server (default ${DEFAULT-VALUE}: the 1M-row table, "
                        + "~220 MB, fits; a 10M-row table does not, and is read through the page cache).")
        String bufferPool;

        @Option(
                names = "--heap",
                paramLabel = "SIZE",
                defaultValue = "512m",
                description = "Maximum heap (-Xmx) of Sluice's JVM (default ${DEFAULT-VALUE}).")
        String heap;

        @Option(
                names = "--pipeline-jvm-option",
                paramLabel = "FLAG",
                description = "Extra JVM flag for Sluice's JVM, repeatable; e.g. "
                        + "--pipeline-jvm-option=-XX:StartFlightRecording=filename=snapshot.jfr")
        List<String> pipelineJvmOptions = new ArrayList<>();

        @Option(
                names = "--skip-sluice",
                description = "Measure only mariadb-dump and the raw SELECT (the ceilings), not Sluice.")
        boolean skipSluice;

        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description = "Fresh directory for the servers, configs and logs (default "
                        + "target/bench/snapshot-<timestamp>). The broker's data is deleted at the end.")
        Path workDir;

        @Option(
                names = "--out",
                paramLabel = "FILE",
                description = "Where to save the JSON result (default bench-results/snapshot-<timestamp>.json); the "
                        + "SVG chart goes next to it with the extension .svg.")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            validate();
            String stamp = stamp();
            Path dir = workDir != null ? workDir : Path.of("target", "bench", "snapshot-" + stamp);
            Path json = out != null ? out : Path.of("bench-results", "snapshot-" + stamp + ".json");
            SnapshotBenchResult result = new SnapshotBench(new SnapshotBench.Options(
                            rows,
                            List.copyOf(parallelism),
                            rounds,
                            chunkSize,
                            bufferPool,
                            dir,
                            heap,
                            List.copyOf(pipelineJvmOptions),
                            skipSluice))
                    .run();
            report(
                    json,
                    result.toJson(),
                    result.chart(),
                    result.table(),
                    "   servers and logs: " + dir.toAbsolutePath());
            if (!result.checkOk()) {
                System.err.println("sluice: check FAILED: a copy does not hold the source's rows (see the table and "
                        + "the samples in the JSON)");
                return ExitCode.DATA.code();
            }
            return 0;
        }

        private void validate() {
            CommandLine cli = spec.commandLine();
            if (rows < 1 || rows > Integer.MAX_VALUE) {
                throw new CommandLine.ParameterException(cli, "--rows must be between 1 and " + Integer.MAX_VALUE);
            }
            if (parallelism.isEmpty()
                    || parallelism.get(0) != 1
                    || parallelism.stream().anyMatch(p -> p < 1)
                    || parallelism.stream().distinct().count() != parallelism.size()) {
                throw new CommandLine.ParameterException(
                        cli,
                        "--parallelism must start with 1 (the base of the "
                                + "speed-up) and list distinct levels of at least 1");
            }
            if (rounds < 1 || chunkSize < 0) {
                throw new CommandLine.ParameterException(cli, "--rounds must be at least 1, --chunk-size at least 0");
            }
            if (!heap.matches("\\d+[kKmMgG]?") || !bufferPool.matches("\\d+[kKmMgG]?")) {
                throw new CommandLine.ParameterException(cli, "--heap and --buffer-pool look like 512m, 1G, ...");
            }
            if (workDir != null && workDir.toFile().exists() && workDir.toFile().list().length > 0) {
                throw new CommandLine.ParameterException(
                        cli, "--work-dir " + workDir + " is not empty; the benchmark " + "needs fresh servers");
            }
        }
    }

    /** Saves the JSON result and its SVG chart next to it, prints the table and where both went. */
    static void report(
            Path json, com.fasterxml.jackson.databind.node.ObjectNode result, String chart, String table, String more) {
        BenchResult.writeJson(json, result);
        Path svg = svgNextTo(json);
        SvgChart.write(svg, chart);
        System.out.println();
        System.out.print(table);
        System.out.println("JSON: " + json.toAbsolutePath() + "   chart: " + svg.toAbsolutePath() + more);
    }

    static Path svgNextTo(Path json) {
        String name = json.getFileName().toString().replaceAll("\\.json$", "");
        return json.resolveSibling(name + ".svg");
    }
}
