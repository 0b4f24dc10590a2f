package dev.sluice.bench;

import dev.sluice.event.ChangeEvent;
import dev.sluice.event.EnvelopeDecoder;
import dev.sluice.event.RowImage;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * One source table rebuilt from its topic, record by record in topic order: an insert ({@code c}) adds its key with
 * the {@code after} image, an update ({@code u}) replaces the image, a delete ({@code d}) removes the key. The table
 * is kept as the CRC32 of each live key's row text ({@link RowChecksum}), indexed by the integer key (the workloads'
 * keys are dense from 1), so a million rows take a few MiB.
 *
 * <p>Besides the rebuilt {@link RowChecksum}, it counts what a table alone would hide: records per op, tombstones
 * (null values), distinct keys ever seen, records of another op or without the image their op needs, cells of the
 * wrong JSON type, and <em>state mismatches</em> — an insert of a key that is live, an update or delete of a key that
 * is not, an update that changes the key, or a {@code before} image that differs from the row the earlier records
 * built. Those catch a lost, duplicated or reordered record even where the final table would come out right.
 * Not thread-safe.
 */
final class TableRebuild {
    /** Keys above this are not a workload's: counted as foreign instead of growing the arrays without bound. */
    static final long MAX_KEY = 100_000_000;

    private final EnvelopeDecoder decoder = new EnvelopeDecoder();
    private final String topic;
    private final List<CheckedColumn> columns;
    private boolean wrongType;
    private long[] crc = new long[1024];
    private final BitSet live = new BitSet();
    private final BitSet seen = new BitSet();
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

    TableRebuild(String topic, List<CheckedColumn> columns) {
        this.topic = topic;
        this.columns = columns;
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
        wrongType = false;
        String[] before = cells(event.before());
        String[] after = cells(event.after());
        wrongTypes += wrongType ? 1 : 0;
        switch (event.op()) {
            case CREATE -> insert(after);
            case UPDATE -> update(before, after);
            case DELETE -> delete(before);
            default -> otherRecords++;
        }
    }

    private String[] cells(RowImage image) {
        if (image == null) {
            return null;
        }
        CheckedColumn.Cells cells = CheckedColumn.cells(image, columns);
        wrongType |= cells.wrongType();
        return cells.text();
    }

    private void insert(String[] after) {
        int key = keyOf(after);
        if (key < 0) {
            return;
        }
        inserts++;
        if (live.get(key)) {
            stateMismatches++;
        }
        put(key, RowChecksum.of(after));
    }

    private void update(String[] before, String[] after) {
        int key = keyOf(after);
        int beforeKey = key < 0 ? -1 : keyOf(before);
        if (beforeKey < 0) {
            return;
        }
        updates++;
        if (beforeKey != key || !matchesLive(key, before)) {
            stateMismatches++;
        }
        put(key, RowChecksum.of(after));
    }

    private void delete(String[] before) {
        int key = keyOf(before);
        if (key < 0) {
            return;
        }
        deletes++;
        if (!matchesLive(key, before)) {
            stateMismatches++;
        }
        live.clear(key);
    }

    private boolean matchesLive(int key, String[] before) {
        return live.get(key) && crc[key] == RowChecksum.of(before);
    }

    private void put(int key, long rowCrc) {
        if (key >= crc.length) {
            crc = Arrays.copyOf(crc, Math.max(key + 1, crc.length * 2));
        }
        crc[key] = rowCrc;
        live.set(key);
        seen.set(key);
    }

    /** The integer key of an image (its first column), or -1 after counting the record as other. */
    private int keyOf(String[] image) {
        if (image == null) {
            otherRecords++;
            return -1;
        }
        long key = DrainVerifier.Tally.parseId(image[0]);
        if (key < 1 || key > MAX_KEY) {
            otherRecords++;
            return -1;
        }
        return (int) key;
    }

    Seen result() {
        long sum = 0;
        for (int key = live.nextSetBit(0); key >= 0; key = live.nextSetBit(key + 1)) {
            sum += crc[key];
        }
        return new Seen(
                new OpCounts(inserts, updates, deletes),
                tombstones,
                seen.cardinality(),
                new RowChecksum(live.cardinality(), sum),
                otherRecords,
                wrongTypes,
                stateMismatches,
                keyBytes,
                valueBytes);
    }
}
