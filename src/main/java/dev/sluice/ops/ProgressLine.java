package dev.sluice.ops;

/** One line of progress from two readings of {@link PipelineStats}: rate since the last line, totals, lag. */
public final class ProgressLine {
    private final PipelineStats stats;
    private long lastEvents;
    private long lastAtMs;

    public ProgressLine(PipelineStats stats, long nowMs) {
        this.stats = stats;
        this.lastAtMs = nowMs;
        this.lastEvents = stats.eventsCommitted();
    }

    public String next(long nowMs) {
        long events = stats.eventsCommitted();
        double seconds = Math.max(1, nowMs - lastAtMs) / 1000.0;
        double rate = (events - lastEvents) / seconds;
        lastEvents = events;
        lastAtMs = nowMs;
        long source = stats.lastCommittedSourceTimeMs();
        String lag = source == 0 ? "-" : Math.max(0, nowMs - source) + " ms";
        return String.format("%,10.0f events/s | %,12d events | %,8d Kafka commits | lag %s | at %s", rate, events,
                stats.kafkaCommits(), lag, stats.committed() == null ? "-" : stats.committed().describe());
    }
}
