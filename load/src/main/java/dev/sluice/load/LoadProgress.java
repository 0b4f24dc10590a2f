package dev.sluice.load;

/** One line of progress from two readings of {@link LoadStats}: the rate since the last line, totals, lag. */
public final class LoadProgress {
    private final LoadStats stats;
    private long lastEvents;
    private long lastAtMs;

    public LoadProgress(LoadStats stats, long nowMs) {
        this.stats = stats;
        this.lastAtMs = nowMs;
        this.lastEvents = stats.events();
    }

    public String next(long nowMs) {
        long events = stats.events();
        double seconds = Math.max(1, nowMs - lastAtMs) / 1000.0;
        double rate = (events - lastEvents) / seconds;
        lastEvents = events;
        lastAtMs = nowMs;
        return String.format(
                "%,10.0f events/s loaded | %,12d events | %,10d rows | %,7d batches | %,10d records behind",
                rate, events, stats.rows(), stats.batches(), stats.totalLag());
    }
}
