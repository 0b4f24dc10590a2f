package dev.sluice.pipeline;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.monitor.PipelineStats.PositionFile;

/**
 * Which binlog file holds the committed position, and a lower bound of that file's modification time: what the
 * purge estimate judges by ({@link PositionFile}, {@code PurgeEstimate}). The server stamps a binlog file's
 * modification time with its last write, and retention purges by that time; the newest event timestamp read from
 * the file is a lower bound of it (exact to the second once the stream has read the ROTATE event at its end).
 * Owned by the stream thread; each change is published to {@link PipelineStats}.
 */
final class BinlogFileTimes {
    private final BinlogCursor cursor;
    private final PipelineStats stats;
    /** Source timestamp of the newest event read from the cursor's file. */
    private long fileLastEventMs;

    private PositionFile positionFile;

    BinlogFileTimes(BinlogCursor cursor, PipelineStats stats) {
        this.cursor = cursor;
        this.stats = stats;
        record(new PositionFile(cursor.file(), 0, false));
    }

    /** Heartbeats are not written to the file and do not count; the connection's made-up ROTATE carries 0. */
    void noteEvent(EventHeaderV4 header, EventType type) {
        long ts = header.getTimestamp();
        if (ts > fileLastEventMs && type != EventType.HEARTBEAT && type != EventType.HEARTBEAT_V2) {
            fileLastEventMs = ts;
        }
    }

    /**
     * The stream leaves the cursor's file for {@code next}. With nothing read since the last commit, the committed
     * position is also the start of the next file (whose starting GTID state is exactly what was read), so purging
     * the file being left can no longer lose it. Otherwise the committed position stays in the file being left,
     * whose modification time is now known.
     */
    void leaving(String next, boolean nothingPending) {
        if (nothingPending) {
            positionFile = new PositionFile(next, 0, false);
        } else if (positionFile.file().equals(cursor.file())) {
            positionFile = new PositionFile(cursor.file(), fileLastEventMs, true);
        }
        fileLastEventMs = 0;
        stats.recordPositionFile(positionFile);
    }

    /** A commit moved the position into the cursor's file. */
    void committed() {
        record(new PositionFile(cursor.file(), fileLastEventMs, false));
    }

    private void record(PositionFile file) {
        positionFile = file;
        stats.recordPositionFile(file);
    }
}
