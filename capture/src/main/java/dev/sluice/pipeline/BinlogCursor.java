package dev.sluice.pipeline;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import dev.sluice.position.BinlogCoordinates;

/**
 * Where the stream is in the binlog: the file being read, the offset where the event being handled starts, and the
 * end of the last event read (where the next transaction starts). Owned by the stream thread.
 */
final class BinlogCursor {
    private String file;
    /** Where the event being handled starts, -1 when unknown. */
    private long eventStart = -1;
    /** End of the last event read: where the next event (and the next transaction) starts. */
    private BinlogCoordinates readEnd;

    BinlogCursor(String file) {
        this.file = file;
    }

    /**
     * Sets {@link #eventStart()} and returns where the event ends (0 when unknown). MariaDB 11.4+ writes the events
     * inside a transaction without their end position unless binlog_legacy_event_pos is ON (it skips filling them in
     * for speed), and the offsets cannot be derived from event lengths because the server leaves out events the
     * replica did not ask for (ANNOTATE_ROWS). Such an event is placed at its transaction's start, the GTID event's
     * offset: where mariadb-binlog --start-position finds the transaction.
     */
    long locate(EventHeaderV4 header, SourceTransaction open) {
        if (header.getNextPosition() > 0) {
            eventStart = header.getNextPosition() - header.getEventLength();
            return header.getNextPosition();
        }
        eventStart = open != null ? open.start().offset() : -1;
        return 0;
    }

    /** The stream has read everything before {@code end} in {@code eventFile}. */
    void readThrough(String eventFile, long end) {
        readEnd = new BinlogCoordinates(eventFile, end);
    }

    void rotate(String next) {
        file = next;
    }

    String file() {
        return file;
    }

    long eventStart() {
        return eventStart;
    }

    /** Where a transaction beginning now starts: the end of the last event read, or the file's start before any. */
    BinlogCoordinates nextTransactionStart() {
        return readEnd != null ? readEnd : new BinlogCoordinates(file, 0);
    }

    /** {@code file:offset} of the event being handled, for messages. */
    String describe() {
        return file + ":" + eventStart;
    }
}
