package dev.sluice.bench;

import dev.sluice.bench.CommitWatch.Commit;
import java.util.List;
import java.util.Map;

/**
 * What was measured while the pipeline drained the backlog. {@code sluice} is the pipeline JVM read just after the
 * drain was seen (its CPU includes JVM start-up, as a real start would); the other processes' CPU covers the same
 * interval, from just before the pipeline JVM started.
 */
public record DrainMeasurement(
        long startedAtMs,
        List<Commit> commits,
        Commit last,
        ProcessStats.Sample sluice,
        Map<String, Double> sluiceThreadCpuSeconds,
        double brokerCpuSeconds,
        Map<String, Double> brokerThreadCpuSeconds,
        ProcessStats.Sample broker,
        double mariadbCpuSeconds,
        ProcessStats.Sample mariadb,
        double harnessCpuSeconds,
        GcLog gc,
        int exitCode,
        List<String> jvmFlags) {

    /** JVM start to the commit of the backlog's last transaction, as a read_committed consumer saw it. */
    public double seconds() {
        return (last.seenAtMs() - startedAtMs) / 1000.0;
    }

    /** JVM start to the pipeline's first commit (start-up, connecting, fencing, first batch). */
    public double secondsToFirstCommit() {
        return (commits.get(0).committedAtMs() - startedAtMs) / 1000.0;
    }

    /** From the pipeline's first commit to its last, by the pipeline's own clock (committed_at_ms). */
    public double firstToLastCommitSeconds() {
        return (last.committedAtMs() - commits.get(0).committedAtMs()) / 1000.0;
    }
}
