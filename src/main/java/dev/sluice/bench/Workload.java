package dev.sluice.bench;

/**
 * The backlogs the peer comparison can replay: the pipeline bench's narrow 100-byte row ({@link Backlog}) in the
 * transaction shapes of ../shared/BENCHMARKS.md that it can generate.
 */
public enum Workload {
    W1(1.0, "narrow row, 1 row per transaction"),
    W2(0.0, "narrow row, 100 rows per transaction (BENCHMARKS.md's W2 without its 1M-row transaction)"),
    MIX(0.1, "`bench pipeline`'s default backlog: 10 % of rows in 1-row, 90 % in 100-row transactions");

    private final double singleRowShare;
    private final String description;

    Workload(double singleRowShare, String description) {
        this.singleRowShare = singleRowShare;
        this.description = description;
    }

    public double singleRowShare() {
        return singleRowShare;
    }

    public String description() {
        return description;
    }
}
