package dev.sluice.pipeline;

import dev.sluice.config.TableFilter;
import dev.sluice.kafka.SnapshotRequests;
import dev.sluice.position.TableCopy;
import dev.sluice.snapshot.ChunkHandoff;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes {@code sluice snapshot} requests from the request topic into the copy progress ({@link ChunkHandoff}), from
 * the offset that progress last committed; a request for a table the filter does not capture is skipped with a
 * warning. Owned by the stream thread.
 */
final class SnapshotRequestIntake {
    private static final Logger log = LoggerFactory.getLogger(SnapshotRequestIntake.class);

    private final SnapshotRequests requests;
    private final ChunkHandoff chunks;
    private final TableFilter filter;
    private final LongSupplier clock;

    SnapshotRequestIntake(SnapshotRequests requests, ChunkHandoff chunks, TableFilter filter, LongSupplier clock) {
        this.requests = requests;
        this.chunks = chunks;
        this.filter = filter;
        this.clock = clock;
    }

    void take() {
        for (SnapshotRequests.Received received : requests.poll(chunks.requestOffset(), clock.getAsLong())) {
            chunks.addRequest(copyFor(received.request()), received.nextOffset());
        }
    }

    /** The copy a request asks for, or null when it is not one for a captured table. */
    private TableCopy copyFor(SnapshotRequests.Request r) {
        if (r == null) {
            return null;
        }
        if (!filter.captures(r.database(), r.table())) {
            log.warn(
                    "Ignoring the snapshot request for {}.{}: the table is not captured (filter.include / "
                            + "filter.exclude)",
                    r.database(),
                    r.table());
            return null;
        }
        log.info(
                "Snapshot of {}.{} requested{}; it starts after the copies before it",
                r.database(),
                r.table(),
                r.where().isEmpty() ? "" : " where " + r.where());
        return TableCopy.pending(r.database(), r.table(), r.where());
    }
}
