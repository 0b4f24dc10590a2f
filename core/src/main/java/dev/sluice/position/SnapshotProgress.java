package dev.sluice.position;

import java.util.List;

/**
 * The snapshot part of a committed position: every table copy the pipeline was asked for (initial snapshot or
 * {@code sluice snapshot}), finished or not, and how far it read the snapshot request topic.
 *
 * @param tables        table copies in the order they run; finished ones stay listed (a record of what was copied)
 * @param requestOffset offset of the next unread record in the snapshot request topic
 */
public record SnapshotProgress(List<TableCopy> tables, long requestOffset) {
    public static final SnapshotProgress NONE = new SnapshotProgress(List.of(), 0);

    public SnapshotProgress {
        tables = List.copyOf(tables);
    }

    public boolean hasPending() {
        return tables.stream().anyMatch(t -> !t.finished());
    }
}
