package dev.sluice.load;

/**
 * The loader's {@code /health} decision: healthy only while it really loads, not merely runs. Every worker must be
 * running, and either nothing is waiting to be loaded or a batch was applied recently (within {@code stallMs},
 * three batch periods and at least a minute): a loader stuck on a target that stopped answering, or holding a lock,
 * turns unhealthy while records pile up.
 */
final class LoadHealth {
    record Verdict(boolean healthy, String reason) {}

    private LoadHealth() {}

    static Verdict evaluate(LoadStats stats, int workers, long stallMs, long nowMs) {
        if (stats.workersRunning() < workers) {
            return new Verdict(false, stats.workersRunning() + " of " + workers + " workers running");
        }
        long lag = stats.totalLag();
        long since = Math.max(stats.lastApplyAtMs(), stats.startedAtMs());
        if (lag > 0 && nowMs - since > stallMs) {
            return new Verdict(
                    false,
                    lag + " records waiting and no batch applied for " + (nowMs - since) + " ms (limit " + stallMs
                            + " ms): the target is slow or unreachable");
        }
        return new Verdict(true, lag == 0 ? "loaded up to the end of the topics" : "loading");
    }

    static long stallMs(java.time.Duration batchTime) {
        return Math.max(60_000, 3 * batchTime.toMillis());
    }
}
