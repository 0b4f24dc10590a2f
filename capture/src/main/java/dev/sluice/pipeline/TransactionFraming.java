package dev.sluice.pipeline;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;

/**
 * Frames source transactions: a GTID event opens one ({@link SourceTransaction}); XID closes it, as do COMMIT and
 * ROLLBACK of non-transactional tables and a DDL statement (its own transaction), and the closing moves the boundary
 * position on ({@link Committer#transactionEnded}). Knows the open transaction, if any. Owned by the stream thread.
 */
final class TransactionFraming {
    private final BinlogCursor cursor;
    private final Committer committer;
    private SourceTransaction open;
    private boolean first = true;

    TransactionFraming(BinlogCursor cursor, Committer committer) {
        this.cursor = cursor;
        this.committer = committer;
    }

    void onMariaDbGtid(Event event) {
        MariadbGtidEventData d = event.getData();
        begin(d.getDomainId() + "-" + d.getServerId() + "-" + Long.toUnsignedString(d.getSequence()), event);
    }

    void onMySqlGtid(Event event) {
        GtidEventData d = event.getData();
        begin(d.getMySqlGtid().toString(), event);
    }

    void onXid(Event event) {
        end(event);
    }

    /** The open transaction ends with {@code event}. */
    void end(Event event) {
        SourceTransaction tx = require(event);
        EventHeaderV4 header = event.getHeader();
        committer.transactionEnded(tx, cursor.file(), header.getNextPosition());
        open = null;
    }

    /** The open transaction; refuses an event outside any (Sluice needs GTIDs). */
    SourceTransaction require(Event event) {
        if (open == null) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Binlog event " + event.getHeader().getEventType() + " at " + cursor.describe()
                            + " is outside any GTID transaction. Sluice needs GTIDs (MySQL: gtid_mode=ON). Stopped at "
                            + committer.committed().describe() + ".");
        }
        return open;
    }

    /** The open transaction, or null between transactions. */
    SourceTransaction open() {
        return open;
    }

    boolean isOpen() {
        return open != null;
    }

    private void begin(String gtid, Event event) {
        if (open != null) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Transaction " + gtid + " began at " + cursor.describe() + " before transaction " + open.gtid()
                            + " ended. Stopped at " + committer.committed().describe() + ".");
        }
        EventHeaderV4 header = event.getHeader();
        open = SourceTransaction.begin(
                gtid,
                header.getTimestamp(),
                cursor.nextTransactionStart(),
                committer.boundary(),
                first ? committer.committed() : null);
        first = false;
    }
}
