package dev.sluice.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One table rebuilt from its change events, applied in the order of the topic's partitions: an insert
 * ({@code c}) or a snapshot row ({@code r}) sets its key's row, an update ({@code u}) replaces it, a delete
 * ({@code d}) removes the key. What is kept of each live row is the caller's choice ({@code keep}): the image itself
 * (a loader's batch, a test's rebuilt table) or a checksum of it (a benchmark's million-row check).
 *
 * <p>Each event's {@link Outcome} also says whether the earlier events explain it: an insert of a live key, an update
 * or delete of a key that is not live, a {@code before} image that is not the row built so far, an update that moves
 * its key. A lost, duplicated or reordered event shows there even where the final table comes out right. Such
 * events are still applied (the last image wins), so the fold ends where the topic says the table is.
 *
 * <p>Keys are the values of {@code keyColumns} in an event's image ({@code after}, or {@code before} for a delete),
 * not the record key, so that a table without a primary key can be folded by a unique key of the caller's choice.
 * A deleted key is remembered ({@link #keysSeen}), so a loader can tell a delete from a key it never saw.
 *
 * <p>Not thread-safe: one fold per table per consuming thread.
 */
public final class TableFold<R> {
    /** What one event did. Every outcome but {@link #TOMBSTONE} and {@link #NO_IMAGE} applied the event. */
    public enum Outcome {
        /** Applied; consistent with the events before it. */
        APPLIED,
        /** A tombstone (null value): nothing to apply. */
        TOMBSTONE,
        /** The image the op needs is null, or lacks a key column: nothing applied. */
        NO_IMAGE,
        /** An insert of a key that is live: its row was replaced. */
        INSERT_OF_LIVE_KEY,
        /** An update or delete of a key that is not live. */
        CHANGE_OF_ABSENT_KEY,
        /** An update or delete whose {@code before} is not the live row. */
        BEFORE_DIFFERS,
        /** An update whose {@code after} has another key than its {@code before}: applied to the new key only. */
        KEY_CHANGED;

        /** Whether the events before it explain this one. */
        public boolean consistent() {
            return this == APPLIED || this == TOMBSTONE;
        }
    }

    private final List<String> keyColumns;
    private final Function<RowImage, R> keep;
    /** Every key seen; a deleted key maps to null. */
    private final Map<List<JsonNode>, R> rows = new HashMap<>();

    private int live;

    /** A fold keeping {@code keep(image)} for each live row; equal images must give equal values. */
    public TableFold(List<String> keyColumns, Function<RowImage, R> keep) {
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("a fold needs at least one key column");
        }
        this.keyColumns = List.copyOf(keyColumns);
        this.keep = keep;
    }

    /** A fold keeping each live row's image. */
    public static TableFold<RowImage> ofImages(List<String> keyColumns) {
        return new TableFold<>(keyColumns, image -> image);
    }

    /** Applies one event; see {@link Outcome}. */
    public Outcome apply(ChangeEvent event) {
        if (event.isTombstone()) {
            return Outcome.TOMBSTONE;
        }
        return switch (event.op()) {
            case CREATE -> insert(event.after());
            case READ -> copy(event.after());
            case UPDATE -> update(event.before(), event.after());
            case DELETE -> delete(event.before());
        };
    }

    private Outcome insert(RowImage after) {
        List<JsonNode> key = keyOf(after);
        if (key == null) {
            return Outcome.NO_IMAGE;
        }
        boolean wasLive = put(key, after);
        return wasLive ? Outcome.INSERT_OF_LIVE_KEY : Outcome.APPLIED;
    }

    /** A snapshot row is the key's state at its read point, whether or not the key is live. */
    private Outcome copy(RowImage after) {
        List<JsonNode> key = keyOf(after);
        if (key == null) {
            return Outcome.NO_IMAGE;
        }
        put(key, after);
        return Outcome.APPLIED;
    }

    private Outcome update(RowImage before, RowImage after) {
        List<JsonNode> key = keyOf(after);
        List<JsonNode> beforeKey = keyOf(before);
        if (key == null || beforeKey == null) {
            return Outcome.NO_IMAGE;
        }
        Outcome outcome = !key.equals(beforeKey) ? Outcome.KEY_CHANGED : check(key, before);
        put(key, after);
        return outcome;
    }

    private Outcome delete(RowImage before) {
        List<JsonNode> key = keyOf(before);
        if (key == null) {
            return Outcome.NO_IMAGE;
        }
        Outcome outcome = check(key, before);
        if (rows.put(key, null) != null) {
            live--;
        }
        return outcome;
    }

    private Outcome check(List<JsonNode> key, RowImage before) {
        R current = rows.get(key);
        if (current == null) {
            return Outcome.CHANGE_OF_ABSENT_KEY;
        }
        return current.equals(keep.apply(before)) ? Outcome.APPLIED : Outcome.BEFORE_DIFFERS;
    }

    /** Sets the key's row; returns whether the key was live. */
    private boolean put(List<JsonNode> key, RowImage image) {
        boolean wasLive = rows.put(key, keep.apply(image)) != null;
        if (!wasLive) {
            live++;
        }
        return wasLive;
    }

    /** The key of {@code image}: its key columns' cells, or null when it is null or lacks one (or one is null). */
    public List<JsonNode> keyOf(RowImage image) {
        if (image == null) {
            return null;
        }
        JsonNode[] key = new JsonNode[keyColumns.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = image.get(keyColumns.get(i));
            if (key[i] == null || key[i].isNull()) {
                return null;
            }
        }
        return List.of(key);
    }

    /** What is kept of the key's live row, or null when the key is not live. */
    public R row(List<JsonNode> key) {
        return key == null ? null : rows.get(key);
    }

    /** Hands every live row to {@code action}, in no particular order. */
    public void forEachRow(BiConsumer<List<JsonNode>, R> action) {
        rows.forEach((key, row) -> {
            if (row != null) {
                action.accept(key, row);
            }
        });
    }

    /** Live keys. */
    public int size() {
        return live;
    }

    /** Distinct keys ever seen, deleted ones included. */
    public int keysSeen() {
        return rows.size();
    }
}
