package dev.sluice.position;

import java.util.Objects;

/** What one Kafka commit makes durable: the binlog position and the progress of table copies, together. */
public record Checkpoint(BinlogPosition position, SnapshotProgress snapshots) {
    public Checkpoint {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(snapshots, "snapshots");
    }

    public static Checkpoint of(BinlogPosition position) {
        return new Checkpoint(position, SnapshotProgress.NONE);
    }
}
