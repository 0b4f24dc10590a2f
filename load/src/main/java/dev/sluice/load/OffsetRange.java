package dev.sluice.load;

/**
 * The offsets of one partition a batch covers: it was loaded up to {@code from} (exclusive) before the batch, and is
 * up to {@code next} (exclusive) after it. Offsets between records (transaction markers, aborted records) belong to
 * the range they fall in, so consecutive ranges of a partition always meet.
 */
public record OffsetRange(long from, long next) {
    public OffsetRange {
        if (next < from) {
            throw new IllegalArgumentException("offset range " + from + ".." + next + " runs backwards");
        }
    }
}
