package dev.sluice.bench;

import dev.sluice.bench.CommitWatch.Commit;
import dev.sluice.embedded.Classpath;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sluice in its own measured JVM until it has done a job: start {@code sluice run}, wait until a read_committed
 * consumer sees the job done — the backlog's last GTID committed in the position topic ({@link #run}), or every row
 * of a snapshot in the table topic ({@link #copy}) — read the processes' CPU and memory at once, then stop the
 * pipeline (SIGTERM).
 */
final class SluiceDrain {
    private static final Logger log = LoggerFactory.getLogger(SluiceDrain.class);

    private SluiceDrain() {}

    /** {@code sluice run} in its own JVM, as an operator would run it; its log is {@code pipeline.log}. */
    static MeasuredJvm startPipeline(Path config, String heap, List<String> jvmOptions) {
        return MeasuredJvm.launch(
                "pipeline",
                config.toAbsolutePath().getParent(),
                "pipeline.log",
                heap,
                jvmOptions,
                Classpath.current(),
                List.of(
                        "dev.sluice.cli.Main",
                        "run",
                        "--config",
                        config.toAbsolutePath().toString(),
                        "--progress-seconds",
                        "5"));
    }

    static DrainMeasurement run(
            Path config,
            String positionsTopic,
            String pipelineName,
            KafkaBroker kafka,
            MariaDbServer mariadb,
            Backlog.Result backlog,
            String heap,
            List<String> jvmOptions,
            Duration timeout)
            throws InterruptedException {
        Surroundings before = Surroundings.read(kafka, mariadb);
        log.info("Starting the pipeline JVM (-Xmx{}) to drain GTIDs up to {}", heap, backlog.lastGtid());
        MeasuredJvm pipeline = startPipeline(config, heap, jvmOptions);
        try (CommitWatch watch = new CommitWatch(kafka.bootstrapServers(), positionsTopic, pipelineName)) {
            Commit last = watch.awaitGtid(backlog.lastGtid(), timeout, pipeline::isAlive);
            // Read /proc right away: the drain is over, and the process must still be alive to be read.
            ProcessStats.Sample sluice = ProcessStats.sample(pipeline.pid());
            Map<String, Double> sluiceThreads = ProcessStats.threadCpuSeconds(pipeline.pid());
            Surroundings after = Surroundings.read(kafka, mariadb);
            log.info(
                    "Drained in {} s; stopping the pipeline (SIGTERM)",
                    String.format("%.2f", (last.seenAtMs() - pipeline.startedAtMs()) / 1000.0));
            int exit = pipeline.stop();
            return new DrainMeasurement(
                    pipeline.startedAtMs(),
                    watch.commits(),
                    last,
                    sluice,
                    sluiceThreads,
                    after.broker.cpuSince(before.broker),
                    ProcessStats.threadCpuSince(before.brokerThreads, after.brokerThreads),
                    after.broker,
                    after.mariadb.cpuSince(before.mariadb),
                    after.mariadb,
                    after.harness.cpuSince(before.harness),
                    pipeline.gcLog(),
                    exit,
                    pipeline.jvmFlags());
        } catch (RuntimeException e) {
            pipeline.stop();
            throw new IllegalStateException(
                    e.getMessage() + "\nLast lines of " + pipeline.log() + ":\n" + pipeline.tail(20), e);
        }
    }

    /**
     * One initial snapshot by Sluice: {@code sluice run} with a config that snapshots the table, timed until a
     * read_committed consumer of {@code tableTopic} has received {@code rows} records.
     */
    static SnapshotMeasurement copy(
            Path config,
            String tableTopic,
            KafkaBroker kafka,
            MariaDbServer mariadb,
            long rows,
            String heap,
            List<String> jvmOptions,
            Duration timeout)
            throws InterruptedException {
        TopicWatch watch = new TopicWatch(kafka.bootstrapServers(), tableTopic);
        try {
            watch.startConsumer();
        } catch (RuntimeException e) {
            watch.close();
            throw e;
        }
        Surroundings before = Surroundings.read(kafka, mariadb);
        log.info("Starting the pipeline JVM (-Xmx{}) to snapshot {} rows into {}", heap, rows, tableTopic);
        MeasuredJvm pipeline = startPipeline(config, heap, jvmOptions);
        try (watch) {
            TopicWatch.Arrival arrival = watch.awaitCommittedRecords(rows, timeout, pipeline::isAlive);
            // Read /proc right away: the copy is over, and the process must still be alive to be read.
            ProcessStats.Sample sluice = ProcessStats.sample(pipeline.pid());
            Map<String, Double> sluiceThreads = ProcessStats.threadCpuSeconds(pipeline.pid());
            Surroundings after = Surroundings.read(kafka, mariadb);
            log.info(
                    "Snapshot visible in {} s; stopping the pipeline (SIGTERM)",
                    String.format("%.2f", (arrival.lastSeenMs() - pipeline.startedAtMs()) / 1000.0));
            int exit = pipeline.stop();
            return new SnapshotMeasurement(
                    pipeline.startedAtMs(),
                    arrival,
                    sluice,
                    sluiceThreads,
                    after.broker.cpuSince(before.broker),
                    after.broker,
                    after.mariadb.cpuSince(before.mariadb),
                    after.mariadb,
                    after.harness.cpuSince(before.harness),
                    after.machineBusySeconds - before.machineBusySeconds,
                    pipeline.gcLog(),
                    exit,
                    pipeline.jvmFlags());
        } catch (RuntimeException e) {
            pipeline.stop();
            throw new IllegalStateException(
                    e.getMessage() + "\nLast lines of " + pipeline.log() + ":\n" + pipeline.tail(20), e);
        }
    }

    /**
     * What was measured while Sluice copied a table. {@code sluice} is the pipeline JVM read just after the last row
     * was seen (its CPU includes JVM start-up); the other processes' CPU covers the same interval, from just before
     * the pipeline JVM started. {@code machineCpuSeconds} is every process on the machine over that interval.
     */
    record SnapshotMeasurement(
            long startedAtMs,
            TopicWatch.Arrival arrival,
            ProcessStats.Sample sluice,
            Map<String, Double> sluiceThreadCpuSeconds,
            double brokerCpuSeconds,
            ProcessStats.Sample broker,
            double mariadbCpuSeconds,
            ProcessStats.Sample mariadb,
            double harnessCpuSeconds,
            double machineCpuSeconds,
            GcLog gc,
            int exitCode,
            List<String> jvmFlags) {
        /** JVM launch until the last row was visible to a read_committed consumer. */
        double seconds() {
            return (arrival.lastSeenMs() - startedAtMs) / 1000.0;
        }

        /** CPU the rest of the (shared) machine used meanwhile: all processes minus the bench's own. */
        double othersCpuSeconds() {
            return machineCpuSeconds - sluice.cpuSeconds() - brokerCpuSeconds - mariadbCpuSeconds - harnessCpuSeconds;
        }

        /** JVM launch until the first committed row was visible. */
        double secondsToFirstRow() {
            return (arrival.firstSeenMs() - startedAtMs) / 1000.0;
        }

        /** JVM launch until Sluice sent its first row (start-up, connecting, creating topics, the first chunk). */
        double secondsToFirstRowSent() {
            return (arrival.firstSentMs() - startedAtMs) / 1000.0;
        }
    }

    /** The processes around the system under test, read before and after the drain for their CPU during it. */
    record Surroundings(
            ProcessStats.Sample broker,
            Map<String, Double> brokerThreads,
            ProcessStats.Sample mariadb,
            ProcessStats.Sample harness,
            double machineBusySeconds) {
        static Surroundings read(KafkaBroker kafka, MariaDbServer mariadb) {
            return new Surroundings(
                    ProcessStats.sample(kafka.pid()),
                    ProcessStats.threadCpuSeconds(kafka.pid()),
                    ProcessStats.sample(mariadb.pid()),
                    ProcessStats.sample(ProcessHandle.current().pid()),
                    ProcessStats.machineBusySeconds());
        }
    }
}
