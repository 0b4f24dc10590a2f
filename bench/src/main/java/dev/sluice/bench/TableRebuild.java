package dev.sluice.bench;

import dev.sluice.event.ChangeEvent;
import dev.sluice.event.EnvelopeDecoder;
import dev.sluice.event.Op;
import dev.sluice.event.RowImage;
import dev.sluice.event.TableFold;
import dev.sluice.testkit.RowChecksum;
import java.util.List;

/**
 * One source table rebuilt from its topic, record by record in topic order, by core's {@link TableFold} (last image
 * per key, a delete removes the key), keeping of each live row only the CRC32 of its checked columns' text
 * ({@link RowChecksum}), so a million rows take tens of MiB.
 *
 * <p>Besides the rebuilt {@link RowChecksum}, it counts what a table alone would hide: records per op, tombstones
 * (null values), distinct keys ever seen, records of another op or without the image their op needs, cells of the
 * wrong JSON type, and <em>state mismatches</em> — every event the fold finds unexplained by the ones before it (an
 * insert of a key that is live, an update or delete of a key that is not, an update that changes the key, or a
 * {@code before} image that differs from the row the earlier records built). Those catch a lost, duplicated or
 * reordered record even where the final table would come out right. Not thread-safe.
 */
final class TableRebuild {
    /** Keys outside 1..this are not a workload's: counted as other records. */
    static final long MAX_KEY = 100_000_000;

    private final EnvelopeDecoder decoder = new EnvelopeDecoder();
    private final String topic;
    private final List<CheckedColumn> columns;
    private final TableFold<Long> fold;
    private long inserts;
    private long updates;
    private long deletes;
    private long tombstones;
    private long otherRecords;
    private long wrongTypes;
    private long stateMismatches;
    private long keyBytes;
    private long valueBytes;

    /**
     * What the topic held: counts by op, the rebuilt table's checksum, and the anomalies (see the class comment).
     * {@code otherRecords} counts records of another op, without the image their op needs, or with a key that is not
     * a positive integer up to {@link #MAX_KEY}.
     */
    record Seen(
            OpCounts ops,
            long tombstones,
            long distinctKeys,
            RowChecksum rebuilt,
            long otherRecords,
            long wrongTypes,
            long stateMismatches,
            long keyBytes,
            long valueBytes) {}

    /** The first checked column is the table's integer key. */
    TableRebuild(String topic, List<CheckedColumn> columns) {
        this.topic = topic;
        this.columns = columns;
        this.fold = new TableFold<>(
                List.of(columns.get(0).name()),
                image -> RowChecksum.of(CheckedColumn.cells(image, columns).text()));
    }

    TableRebuild(List<CheckedColumn> columns) {
        this("test", columns);
    }

    void add(byte[] key, byte[] value) {
        keyBytes += key == null ? 0 : key.length;
        if (value == null) {
            tombstones++;
            return;
        }
        valueBytes += value.length;
        ChangeEvent event = decoder.decode(topic, key, value);
        wrongTypes += wrongType(event.before()) | wrongType(event.after()) ? 1 : 0;
        if (event.op() == Op.READ || !workloadKeys(event)) {
            otherRecords++;
            return;
        }
        TableFold.Outcome outcome = fold.apply(event);
        switch (event.op()) {
            case CREATE -> inserts++;
            case UPDATE -> updates++;
            default -> deletes++;
        }
        stateMismatches += outcome.consistent() ? 0 : 1;
    }

    private boolean wrongType(RowImage image) {
        return image != null && CheckedColumn.cells(image, columns).wrongType();
    }

    /** Whether the images the op needs are there with a key of the workload's (a positive integer). */
    private boolean workloadKeys(ChangeEvent event) {
        return switch (event.op()) {
            case CREATE -> workloadKey(event.after());
            case UPDATE -> workloadKey(event.after()) && workloadKey(event.before());
            default -> workloadKey(event.before());
        };
    }

    private boolean workloadKey(RowImage image) {
        if (image == null) {
            return false;
        }
        var cell = image.get(columns.get(0).name());
        long key = cell != null && cell.isIntegralNumber() && cell.canConvertToLong() ? cell.longValue() : -1;
        return key >= 1 && key <= MAX_KEY;
    }

    Seen result() {
        long[] sum = {0};
        fold.forEachRow((key, crc) -> sum[0] += crc);
        return new Seen(
                new OpCounts(inserts, updates, deletes),
                tombstones,
                fold.keysSeen(),
                new RowChecksum(fold.size(), sum[0]),
                otherRecords,
                wrongTypes,
                stateMismatches,
                keyBytes,
                valueBytes);
    }
}
