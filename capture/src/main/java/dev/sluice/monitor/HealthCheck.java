package dev.sluice.monitor;

import dev.sluice.config.SluiceConfig;

/**
 * The {@code /health} decision: the pipeline is healthy only while it is really moving data, not merely running.
 * All three must hold:
 *
 * <ol>
 *   <li>it is streaming (connected to the binlog and to Kafka, not starting or reconnecting);</li>
 *   <li>the binlog link is alive: an event or heartbeat arrived within the stall timeout (3 ×
 *       source.heartbeat-seconds; the server sends a heartbeat every source.heartbeat-seconds on an idle link);</li>
 *   <li>Kafka commits happen: one within 3 × source.heartbeat-seconds + pipeline.commit-interval-ms. A busy
 *       pipeline commits every pipeline.commit-interval-ms; an idle one re-commits its position every
 *       source.heartbeat-seconds, so this allows two missed keep-alives. Right after (re)connecting, the time
 *       streaming started counts as the last commit.</li>
 * </ol>
 *
 * <p>A single source transaction that takes longer than the commit bound to read (hundreds of thousands of rows)
 * holds the commit until its end and reports unhealthy meanwhile: use {@code /health} as a readiness signal and
 * alert on it after a grace period, not as a liveness probe that restarts the process.
 */
public final class HealthCheck {
    /** The bounds, derived from the settings that drive heartbeats and commits. */
    public record Limits(long stallTimeoutMs, long maxCommitAgeMs) {
        public static Limits from(SluiceConfig config) {
            long stall = config.source().stallTimeout().toMillis();
            return new Limits(stall, stall + config.pipeline().commitIntervalMs());
        }
    }

    /** The verdict and, when unhealthy, why, in words an operator can act on. */
    record Verdict(boolean healthy, String reason) {
        static final Verdict OK = new Verdict(true, "streaming and committing");
    }

    private HealthCheck() {}

    static Verdict evaluate(PipelineStats stats, Limits limits, long nowMs) {
        if (!stats.isStreaming()) {
            return new Verdict(
                    false,
                    "not streaming: starting, reconnecting or stopped (" + stats.reconnects() + " reconnects so far)");
        }
        long silentMs = nowMs - stats.lastSourceActivityAtMs();
        if (silentMs > limits.stallTimeoutMs()) {
            return new Verdict(
                    false,
                    "no binlog event or heartbeat for " + silentMs + " ms (limit " + limits.stallTimeoutMs()
                            + " ms): the source link looks dead");
        }
        long commitAgeMs = nowMs - Math.max(stats.lastCommitAtMs(), stats.streamingSinceMs());
        if (commitAgeMs > limits.maxCommitAgeMs()) {
            return new Verdict(
                    false,
                    "no Kafka commit for " + commitAgeMs + " ms (limit " + limits.maxCommitAgeMs()
                            + " ms): Kafka is slow or unreachable, or a very large source transaction is being read");
        }
        return Verdict.OK;
    }
}
