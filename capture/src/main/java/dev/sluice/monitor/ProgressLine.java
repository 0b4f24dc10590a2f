package dev.sluice.monitor;

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
        long lagSeconds = stats.lagSeconds(nowMs);
        // Binlog timestamps have one-second resolution: milliseconds would only show when the line was printed.
        String lag = lagSeconds < 0 ? "-" : lagSeconds == 0 ? "< 1 s" : lagSeconds + " s";
        return String.format(
                "%,10.0f events/s | %,12d events | %,8d Kafka commits | lag %s | at %s%s",
                rate,
                events,
                stats.kafkaCommits(),
                lag,
                stats.committed() == null ? "-" : stats.committed().describe(),
                copying());
    }

    /** The running table copy as a bar, e.g. {@code | copying shop.orders [#####...............] 24% ETA 9 s}. */
    private String copying() {
        StringBuilder out = new StringBuilder();
        stats.snapshots().forEach((table, s) -> {
            if (s.finished()) {
                return;
            }
            double fraction = s.fraction();
            int filled = (int) Math.round(fraction * 20);
            out.append(String.format(
                    " | copying %s [%s%s] %d%% %,d rows %,.0f rows/s ETA %s",
                    table,
                    "#".repeat(filled),
                    ".".repeat(20 - filled),
                    Math.round(fraction * 100),
                    s.rowsCopied(),
                    s.rowsPerSecond(),
                    s.etaSeconds() < 0 ? "?" : s.etaSeconds() + " s"));
        });
        return out.toString();
    }
}
