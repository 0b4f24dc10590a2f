package dev.sluice.bench;

import dev.sluice.event.ChangeEvent;
import dev.sluice.event.Op;
import java.sql.SQLException;

/** How a hand-written loader writes the change events it reads, in topic order, into its target tables. */
interface BaselineWriter {
    void accept(BaselineTable table, ChangeEvent event) throws SQLException;

    /** Writes what is still held; the target then holds everything accepted. */
    void finish() throws SQLException;

    /** A change that leaves the key without a row. */
    static boolean isDelete(ChangeEvent event) {
        return event.op() == Op.DELETE;
    }
}
