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
 * One drain of the backlog by Sluice: start {@code sluice run} in its own JVM, wait until a read_committed consumer
 * of its position topic sees the backlog's last GTID committed, read the processes' CPU and memory at once, then stop
 * the pipeline (SIGTERM).
 */
final class SluiceDrain {
    private static final Logger log = LoggerFactory.getLogger(SluiceDrain.class);

    private SluiceDrain() {
    }

    /** {@code sluice run} in its own JVM, as an operator would run it; its log is {@code pipeline.log}. */
    private static MeasuredJvm startPipeline(Path config, String heap, List<String> jvmOptions) {
        return MeasuredJvm.launch("pipeline", config.toAbsolutePath().getParent(), "pipeline.log", heap, jvmOptions,
                Classpath.current(), List.of("dev.sluice.cli.Main", "run", "--config", config.toAbsolutePath().toString(),
                        "--progress-seconds", "5"));
    }

    static DrainMeasurement run(Path config, String positionsTopic, String pipelineName, KafkaBroker kafka,
                                MariaDbServer mariadb, Backlog.Result backlog, String heap, List<String> jvmOptions,
                                Duration timeout) throws InterruptedException {
        Surroundings before = Surroundings.read(kafka, mariadb);
        log.info("Starting the pipeline JVM (-Xmx{}) to drain GTIDs up to {}", heap, backlog.lastGtid());
        MeasuredJvm pipeline = startPipeline(config, heap, jvmOptions);
        try (CommitWatch watch = new CommitWatch(kafka.bootstrapServers(), positionsTopic, pipelineName)) {
            Commit last = watch.awaitGtid(backlog.lastGtid(), timeout, pipeline::isAlive);
            // Read /proc right away: the drain is over, and the process must still be alive to be read.
            ProcessStats.Sample sluice = ProcessStats.sample(pipeline.pid());
            Map<String, Double> sluiceThreads = ProcessStats.threadCpuSeconds(pipeline.pid());
            Surroundings after = Surroundings.read(kafka, mariadb);
            log.info("Drained in {} s; stopping the pipeline (SIGTERM)",
                    String.format("%.2f", (last.seenAtMs() - pipeline.startedAtMs()) / 1000.0));
            int exit = pipeline.stop();
            return new DrainMeasurement(pipeline.startedAtMs(), watch.commits(), last, sluice, sluiceThreads,
                    after.broker.cpuSince(before.broker), ProcessStats.threadCpuSince(before.brokerThreads,
                    after.brokerThreads), after.broker, after.mariadb.cpuSince(before.mariadb), after.mariadb,
                    after.harness.cpuSince(before.harness), pipeline.gcLog(), exit, pipeline.jvmFlags());
        } catch (RuntimeException e) {
            pipeline.stop();
            throw new IllegalStateException(e.getMessage() + "\nLast lines of " + pipeline.log() + ":\n"
                    + pipeline.tail(20), e);
        }
    }

    /** The processes around the system under test, read before and after the drain for their CPU during it. */
    record Surroundings(ProcessStats.Sample broker, Map<String, Double> brokerThreads,
                        ProcessStats.Sample mariadb, ProcessStats.Sample harness) {
        static Surroundings read(KafkaBroker kafka, MariaDbServer mariadb) {
            return new Surroundings(ProcessStats.sample(kafka.pid()), ProcessStats.threadCpuSeconds(kafka.pid()),
                    ProcessStats.sample(mariadb.pid()), ProcessStats.sample(ProcessHandle.current().pid()));
        }
    }
}
