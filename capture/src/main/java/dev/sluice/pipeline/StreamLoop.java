package dev.sluice.pipeline;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import dev.sluice.config.SluiceConfig;
import dev.sluice.event.EnvelopeEncoder;
import dev.sluice.event.Op;
import dev.sluice.event.SourceMeta;
import dev.sluice.failure.CrashPoints;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.KafkaWriter;
import dev.sluice.kafka.SnapshotRequests;
import dev.sluice.kafka.TopicAdmin;
import dev.sluice.kafka.TopicNames;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.monitor.PipelineStats.PositionFile;
import dev.sluice.position.BinlogCoordinates;
import dev.sluice.position.BinlogPosition;
import dev.sluice.position.Checkpoint;
import dev.sluice.position.TableCopy;
import dev.sluice.schema.TableSchema;
import dev.sluice.snapshot.Chunk;
import dev.sluice.snapshot.ChunkHandoff;
import dev.sluice.snapshot.Snapshotter;
import dev.sluice.source.BinlogReader;
import dev.sluice.source.BinlogReader.BinlogConnectionException;
import dev.sluice.source.SchemaBuilder;
import dev.sluice.source.SourceItem;
import dev.sluice.source.TableFilter;
import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that owns the position. It takes binlog events in order, turns row changes into envelopes,
 * sends them inside the open Kafka transaction, and commits at source transaction boundaries once the batch is
 * big or old enough. It is the only code that advances the position, and it does so only by committing it to
 * Kafka together with the events it covers ({@link KafkaWriter#commit}).
 *
 * <p>Every binlog event type is listed in {@link #dispatchTable()}: handled, deliberately ignored, or refused. An
 * event type that is not listed stops the pipeline at its position; nothing is ever skipped silently.
 */
final class StreamLoop {
    private static final Logger log = LoggerFactory.getLogger(StreamLoop.class);

    private final Collaborators with;
    private final SluiceConfig.Pipeline config;
    private final LongSupplier clock;
    private final Map<EventType, Consumer<Event>> dispatch = dispatchTable();
    private final Map<Long, Target> targets = new HashMap<>();

    private BinlogPosition committed;
    /** Position after the last complete source transaction; equal to or after {@link #committed}. */
    private BinlogPosition boundary;

    private String file;
    private Transaction tx;
    private boolean firstTransaction = true;
    private long batchEvents;
    private long batchTransactions;
    private long batchSourceTimeMs;
    private long batchStartedMs = -1;
    private volatile boolean stopRequested;

    /** What the loop reads from and writes to. */
    record Collaborators(
            BinlogReader reader,
            KafkaWriter writer,
            TopicAdmin topics,
            TopicNames names,
            TableFilter filter,
            SchemaBuilder schemas,
            EnvelopeEncoder encoder,
            PipelineStats stats,
            ChunkHandoff chunks,
            Snapshotter snapshotter,
            SnapshotRequests requests) {}

    private final SluiceConfig.Source source;
    private long lastSourceItemMs;
    private long lastCommitMs;
    /** Source timestamp of the newest event read from {@link #file}: a lower bound of its modification time. */
    private long fileLastEventMs;

    private PositionFile positionFile;
    /** End of the last event read: where the next event (and the next transaction) starts. */
    private BinlogCoordinates readEnd;
    /** Binlog offset where the event being handled starts, -1 when unknown. */
    private long eventStart = -1;

    StreamLoop(
            Collaborators with,
            SluiceConfig.Source source,
            SluiceConfig.Pipeline config,
            BinlogPosition start,
            LongSupplier clock) {
        this.with = with;
        this.source = source;
        this.config = config;
        this.clock = clock;
        this.lastSourceItemMs = clock.getAsLong();
        this.lastCommitMs = lastSourceItemMs;
        this.committed = start;
        this.boundary = start;
        this.file = start.file();
        this.positionFile = new PositionFile(start.file(), 0, false);
        with.stats().recordPositionFile(positionFile);
    }

    void requestStop() {
        stopRequested = true;
    }

    /** Runs until {@link #requestStop()} or a failure; returns the last committed position. */
    BinlogPosition run() throws InterruptedException {
        while (!stopRequested) {
            SourceItem item = with.reader().poll(pollTimeoutMs());
            if (item instanceof SourceItem.BinlogEvent e) {
                lastSourceItemMs = clock.getAsLong();
                with.stats().recordSourceActivity(lastSourceItemMs);
                handle(e.event());
            } else if (item instanceof SourceItem.Failure f) {
                if (SourceFailures.isDisplacedBySameServerId(f.cause())) {
                    stopIfFenced();
                }
                throw SourceFailures.classify(f.cause(), committed, source);
            } else {
                requireLiveLink();
                whenIdle();
            }
            if (tx == null) {
                publishSnapshotChunks();
            }
            commitIfDue();
        }
        finishOnStop();
        return committed;
    }

    private Map<EventType, Consumer<Event>> dispatchTable() {
        Map<EventType, Consumer<Event>> table = new EnumMap<>(EventType.class);
        table.put(EventType.MARIADB_GTID, this::onMariaDbGtid);
        table.put(EventType.GTID, this::onMySqlGtid);
        table.put(EventType.TABLE_MAP, this::onTableMap);
        for (EventType t : List.of(EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS)) {
            table.put(t, this::onWrite);
        }
        for (EventType t : List.of(EventType.UPDATE_ROWS, EventType.EXT_UPDATE_ROWS)) {
            table.put(t, this::onUpdate);
        }
        for (EventType t : List.of(EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS)) {
            table.put(t, this::onDelete);
        }
        table.put(EventType.XID, this::onXid);
        table.put(EventType.QUERY, this::onQuery);
        table.put(EventType.ROTATE, this::onRotate);
        // Deliberately ignored: stream framing, heartbeats, GTID bookkeeping we derive ourselves, and statement
        // context that ROW format makes redundant. ANNOTATE_ROWS carries the original SQL text (possibly with data
        // in it): never published or logged.
        for (EventType t : List.of(
                EventType.FORMAT_DESCRIPTION,
                EventType.HEARTBEAT,
                EventType.HEARTBEAT_V2,
                EventType.MARIADB_GTID_LIST,
                EventType.BINLOG_CHECKPOINT,
                EventType.PREVIOUS_GTIDS,
                EventType.STOP,
                EventType.ANNOTATE_ROWS,
                EventType.ROWS_QUERY,
                EventType.IGNORABLE,
                EventType.USER_VAR,
                EventType.INTVAR,
                EventType.RAND,
                EventType.TRANSACTION_CONTEXT,
                EventType.VIEW_CHANGE)) {
            table.put(t, event -> {});
        }
        return table;
    }

    private void handle(Event event) {
        EventType type = event.getHeader().getEventType();
        noteFileTime(event, type);
        String eventFile = file; // a ROTATE's own coordinates are in the file it ends
        long eventEnd = locate(event, type);
        Consumer<Event> handler = dispatch.get(type);
        if (handler == null) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Binlog event " + type + " at " + file + ":"
                            + eventStart + " cannot be interpreted by Sluice"
                            + (tx == null ? "" : " (inside transaction " + tx.gtid + ")")
                            + ". Stopped at " + committed.describe() + "; nothing after it was published. "
                            + hintFor(type));
        }
        try {
            handler.accept(event);
            noteReadEnd(eventFile, eventEnd);
        } catch (SchemaBuilder.SchemaException
                | IllegalArgumentException
                | ClassCastException
                | IndexOutOfBoundsException
                | UnsupportedOperationException e) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Cannot decode binlog event " + type + " at " + file + ":"
                            + eventStart + (tx == null ? "" : " in transaction " + tx.gtid) + ": "
                            + e.getMessage() + ". Stopped at " + committed.describe()
                            + "; nothing after it was published.",
                    e);
        }
    }

    /**
     * Sets {@link #eventStart} and returns where the event ends (0 when unknown). MariaDB 11.4+ writes the events
     * inside a transaction without their end position unless binlog_legacy_event_pos is ON (it skips filling them in
     * for speed), and the offsets cannot be derived from event lengths because the server leaves out events the
     * replica did not ask for (ANNOTATE_ROWS). Such an event is placed at its transaction's start, the GTID event's
     * offset: where mariadb-binlog --start-position finds the transaction.
     */
    private long locate(Event event, EventType type) {
        EventHeaderV4 h = header(event);
        if (h.getNextPosition() > 0) {
            eventStart = h.getNextPosition() - h.getEventLength();
            return h.getNextPosition();
        }
        eventStart = tx != null ? tx.start.offset() : -1;
        return 0;
    }

    /**
     * A transaction's changes are placed at its start (see {@link Transaction#start}), which is exact whatever
     * coordinates the events inside it carry.
     */
    private void noteReadEnd(String eventFile, long nextPosition) {
        if (nextPosition > 0) {
            readEnd = new BinlogCoordinates(eventFile, nextPosition);
            with.chunks().advance(eventFile, nextPosition);
        }
    }

    private static String hintFor(EventType type) {
        return switch (type) {
            case UNKNOWN -> "If log_bin_compress is ON, set it OFF: compressed events are not decoded.";
            case TRANSACTION_PAYLOAD -> "Set binlog_transaction_compression=OFF on the source.";
            case PARTIAL_UPDATE_ROWS_EVENT -> "Set binlog_row_value_options='' on the source.";
            default -> "Please report this event type.";
        };
    }

    /**
     * The server sends a heartbeat on an idle connection every source.heartbeat-seconds; silence for three times
     * that means the link died without a reset (a blackholed network, a paused server). Only checked when the
     * queue is empty, so time this thread spent elsewhere (a slow Kafka commit) never counts as silence.
     */
    private void requireLiveLink() {
        long silentMs = clock.getAsLong() - lastSourceItemMs;
        if (silentMs > source.stallTimeout().toMillis()) {
            throw new BinlogConnectionException(
                    "No binlog event or heartbeat from " + source.address() + " for "
                            + silentMs / 1000 + " s (heartbeat every "
                            + source.heartbeat().toSeconds() + " s): the link "
                            + "looks dead",
                    null);
        }
    }

    // --- transactions -------------------------------------------------------------------------------------------

    private void onMariaDbGtid(Event event) {
        MariadbGtidEventData d = event.getData();
        beginTransaction(d.getDomainId() + "-" + d.getServerId() + "-" + Long.toUnsignedString(d.getSequence()), event);
    }

    private void onMySqlGtid(Event event) {
        GtidEventData d = event.getData();
        beginTransaction(d.getMySqlGtid().toString(), event);
    }

    private void beginTransaction(String gtid, Event event) {
        if (tx != null) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Transaction " + gtid + " began at " + file + ":"
                            + eventStart + " before transaction " + tx.gtid + " ended. Stopped at "
                            + committed.describe() + ".");
        }
        long skip = 0;
        if (firstTransaction && committed.isInsideTransaction()) {
            if (!committed.partialGtid().equals(gtid)) {
                throw new SluiceException(
                        ExitCode.POSITION_LOST,
                        "The stored position is inside transaction "
                                + committed.partialGtid() + ", but the server sent " + gtid
                                + " first. The source's history "
                                + "differs from what was published; refusing to continue from " + committed.describe()
                                + ".");
            }
            skip = committed.partialEvents();
            log.info("Resuming inside transaction {}: skipping its first {} row events, already published", gtid, skip);
        }
        firstTransaction = false;
        tx = new Transaction(
                gtid, header(event).getTimestamp(), skip, readEnd != null ? readEnd : new BinlogCoordinates(file, 0));
    }

    private void onXid(Event event) {
        endTransaction(event);
    }

    private void endTransaction(Event event) {
        requireTransaction(event);
        boundary = boundary.afterTransaction(tx.gtid, file, header(event).getNextPosition());
        batchTransactions++;
        batchSourceTimeMs = tx.commitTimeMs;
        markBatchStarted();
        tx = null;
    }

    private void onQuery(Event event) {
        QueryEventData d = event.getData();
        String sql = d.getSql().trim();
        String upper = sql.length() > 16 ? sql.substring(0, 16).toUpperCase(Locale.ROOT) : sql.toUpperCase(Locale.ROOT);
        if (upper.equals("BEGIN") || upper.startsWith("SAVEPOINT") || upper.startsWith("ROLLBACK TO")) {
            return;
        }
        if (upper.equals("COMMIT") || upper.equals("ROLLBACK")) {
            // Non-transactional tables: their changes are applied even on ROLLBACK, so both end the transaction.
            endTransaction(event);
            return;
        }
        if (upper.startsWith("XA ")) {
            throw new UnsupportedOperationException("XA transactions are not supported yet");
        }
        requireTransaction(event);
        with.chunks().schemaChanged(d.getDatabase() == null ? "" : d.getDatabase());
        publishSchemaChange(d, event);
        // A DDL statement is its own transaction: no XID follows it.
        endTransaction(event);
    }

    private void onRotate(Event event) {
        RotateEventData d = event.getData();
        String next = d.getBinlogFilename();
        if (!next.equals(file)) {
            leaveFile(next);
        }
        file = next;
    }

    // --- binlog file times, for the purge estimate ----------------------------------------------------------------

    /**
     * The server stamps a binlog file's modification time with its last write, and retention purges by that time;
     * the newest event timestamp read from the file is a lower bound of it (exact to the second once the stream
     * has read the ROTATE event at its end). Heartbeats are not written to the file and do not count; the
     * connection's made-up ROTATE carries timestamp 0.
     */
    private void noteFileTime(Event event, EventType type) {
        long ts = header(event).getTimestamp();
        if (ts > fileLastEventMs && type != EventType.HEARTBEAT && type != EventType.HEARTBEAT_V2) {
            fileLastEventMs = ts;
        }
    }

    /**
     * Tracks which file holds the committed position for purge purposes ({@link PositionFile}). With nothing read
     * since the last commit, the committed position is also the start of the next file (whose starting GTID state
     * is exactly what was read), so purging the file being left can no longer lose it. Otherwise the committed
     * position stays in the file being left, whose modification time is now known.
     */
    private void leaveFile(String next) {
        if (boundary.equals(committed) && batchEvents == 0) {
            positionFile = new PositionFile(next, 0, false);
        } else if (positionFile.file().equals(file)) {
            positionFile = new PositionFile(file, fileLastEventMs, true);
        }
        fileLastEventMs = 0;
        with.stats().recordPositionFile(positionFile);
    }

    // --- rows ---------------------------------------------------------------------------------------------------

    private void onTableMap(Event event) {
        TableMapEventData d = event.getData();
        Target existing = targets.get(d.getTableId());
        // The reader hands over the same instance for a byte-identical TABLE_MAP (ExactTableMapDeserializer).
        if (existing != null && (existing.map() == d || existing.sameDefinition(d))) {
            return;
        }
        if (!with.filter().captures(d.getDatabase(), d.getTable())) {
            targets.put(d.getTableId(), new Target(d, null, null, null));
            return;
        }
        TableSchema schema = with.schemas().build(d);
        String topic = with.names().table(d.getDatabase(), d.getTable());
        with.topics().ensureTableTopic(topic, schema.qualifiedName());
        targets.put(d.getTableId(), new Target(d, with.encoder().prepare(schema), topic, schema.qualifiedName()));
    }

    private void onWrite(Event event) {
        WriteRowsEventData d = event.getData();
        Target target = target(d.getTableId(), event);
        List<Serializable[]> rows = d.getRows();
        for (int i = 0; i < rows.size(); i++) {
            emit(target, Op.CREATE, null, rows.get(i), d.getIncludedColumns(), event, i);
        }
    }

    private void onUpdate(Event event) {
        UpdateRowsEventData d = event.getData();
        Target target = target(d.getTableId(), event);
        if (target.table != null) {
            // The after image alone can be complete while the before image is not (MINIMAL logs only the key
            // before an UPDATE that sets every column): check both, or the before values would be misread.
            requireFullImage(target.table.schema(), d.getIncludedColumnsBeforeUpdate(), event);
        }
        List<Entry<Serializable[], Serializable[]>> rows = d.getRows();
        for (int i = 0; i < rows.size(); i++) {
            Entry<Serializable[], Serializable[]> row = rows.get(i);
            emit(target, Op.UPDATE, row.getKey(), row.getValue(), d.getIncludedColumns(), event, i);
        }
    }

    private void onDelete(Event event) {
        DeleteRowsEventData d = event.getData();
        Target target = target(d.getTableId(), event);
        List<Serializable[]> rows = d.getRows();
        for (int i = 0; i < rows.size(); i++) {
            emit(target, Op.DELETE, rows.get(i), null, d.getIncludedColumns(), event, i);
        }
    }

    private void emit(
            Target target, Op op, Serializable[] before, Serializable[] after, BitSet included, Event event, int row) {
        requireTransaction(event);
        long eventIndex = tx.rowChanges++;
        if (eventIndex < tx.skip || target.table == null) {
            return;
        }
        requireFullImage(target.table.schema(), included, event);
        SourceMeta meta = new SourceMeta(
                tx.gtid,
                file,
                eventStart,
                header(event).getTimestamp(),
                header(event).getServerId());
        long now = clock.getAsLong();
        if (op == Op.UPDATE
                && !Arrays.equals(
                        with.encoder().key(target.table, before), with.encoder().key(target.table, after))) {
            // Primary key changed: as Debezium does, a delete under the old key and a create under the new one,
            // so a consumer (or a compacted topic) keyed by primary key sees both rows correctly.
            send(target, Op.DELETE, before, null, meta, row, eventIndex, now);
            send(target, Op.CREATE, null, after, meta, row, eventIndex, now);
        } else {
            send(target, op, before, after, meta, row, eventIndex, now);
        }
        if (tx.rowChanges % config.maxTransactionEvents() == 0) {
            commitInsideTransaction();
        }
    }

    private void send(
            Target target,
            Op op,
            Serializable[] before,
            Serializable[] after,
            SourceMeta meta,
            int row,
            long eventIndex,
            long now) {
        byte[] key = with.encoder().key(target.table, after != null ? after : before);
        if (with.chunks().watching(target.name)) {
            with.chunks().recordChange(key, tx.start);
        }
        byte[] value = with.encoder().value(op, target.table, before, after, meta, row, eventIndex, now);
        with.writer().send(target.topic, key, value, target.name, meta.gtid(), eventIndex);
        batchEvents++;
        markBatchStarted();
    }

    /**
     * Publishes DDL of captured databases. A statement run without a default database ({@code ALTER TABLE db.t}
     * with no {@code USE}) has no database in the binlog, and Sluice does not parse SQL to find it, so such
     * statements are published too. Account management (GRANT, CREATE USER, ...) is never published: it can
     * carry password hashes.
     */
    private void publishSchemaChange(QueryEventData d, Event event) {
        String database = d.getDatabase() == null ? "" : d.getDatabase();
        if (!(database.isEmpty() || with.filter().capturesDatabase(database)) || isAccountManagement(d.getSql())) {
            return;
        }
        byte[] value = SchemaChangeJson.write(
                database, d.getSql(), tx.gtid, file, eventStart, header(event).getTimestamp(), clock.getAsLong());
        with.writer()
                .send(
                        with.names().schemaChanges(),
                        SchemaChangeJson.key(database),
                        value,
                        "(schema change in " + database + ")",
                        tx.gtid,
                        0);
        CrashPoints.reached(CrashPoints.SCHEMA_CHANGE);
        log.info("Schema change in {} at GTID {}", database.isEmpty() ? "(no default database)" : database, tx.gtid);
        batchEvents++;
    }

    private static boolean isAccountManagement(String sql) {
        String upper = sql.stripLeading().toUpperCase(Locale.ROOT);
        for (String prefix : new String[] {
            "GRANT",
            "REVOKE",
            "CREATE USER",
            "ALTER USER",
            "DROP USER",
            "RENAME USER",
            "SET PASSWORD",
            "CREATE ROLE",
            "DROP ROLE",
            "SET DEFAULT ROLE",
            "CREATE OR REPLACE USER",
            "CREATE OR REPLACE ROLE"
        }) {
            if (upper.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private Target target(long tableId, Event event) {
        Target target = targets.get(tableId);
        if (target == null) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Rows event at " + file + ":" + eventStart
                            + " refers to table id " + tableId + " with no TABLE_MAP before it. Stopped at "
                            + committed.describe() + ".");
        }
        return target;
    }

    private void requireTransaction(Event event) {
        if (tx == null) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Binlog event " + event.getHeader().getEventType() + " at " + file
                            + ":" + eventStart + " is outside any GTID transaction. Sluice needs GTIDs "
                            + "(MySQL: gtid_mode=ON). Stopped at " + committed.describe() + ".");
        }
    }

    private static void requireFullImage(TableSchema schema, BitSet included, Event event) {
        if (included.cardinality() != schema.columns().size()) {
            throw new IllegalArgumentException("the row image of " + schema.qualifiedName() + " has "
                    + included.cardinality() + " of " + schema.columns().size() + " columns; binlog_row_image must "
                    + "be FULL (SET GLOBAL binlog_row_image=FULL; a session of the source that set binlog_row_image "
                    + "to MINIMAL or NOBLOB wrote this event)");
        }
    }

    // --- snapshot chunks ----------------------------------------------------------------------------------------

    /**
     * Between source transactions: publishes every snapshot chunk whose read point the stream has reached (see
     * {@link ChunkHandoff}), into the open Kafka transaction, so the chunk and the copy progress that covers it
     * commit together. Also takes new {@code sluice snapshot} requests, and stops the pipeline when the copy hit a
     * failure only the user can fix.
     */
    private void publishSnapshotChunks() {
        SluiceException failure = with.snapshotter().failure();
        if (failure != null) {
            throw failure;
        }
        takeSnapshotRequests();
        ChunkHandoff.Publishable ready;
        // Up to a full batch, then back to the binlog: fast readers must neither starve the stream nor grow one
        // Kafka transaction without bound.
        while (batchEvents < config.commitMaxEvents() && (ready = with.chunks().takeReady()) != null) {
            Chunk chunk = ready.chunk();
            String table = chunk.schema().qualifiedName();
            String topic =
                    with.names().table(chunk.schema().database(), chunk.schema().table());
            with.topics().ensureTableTopic(topic, table);
            long index = 0;
            for (Chunk.Row row : ready.rows()) {
                with.writer().send(topic, row.key(), row.value(), table, null, index++);
            }
            batchEvents += ready.rows().size();
            markBatchStarted();
            if (ready.superseded() > 0) {
                log.debug(
                        "Snapshot chunk {} of {}: {} rows left out, the stream already published newer changes",
                        chunk.seq(),
                        table,
                        ready.superseded());
            }
        }
    }

    private void takeSnapshotRequests() {
        for (SnapshotRequests.Received received :
                with.requests().poll(with.chunks().requestOffset(), clock.getAsLong())) {
            SnapshotRequests.Request r = received.request();
            TableCopy copy = null;
            if (r != null && with.filter().captures(r.database(), r.table())) {
                copy = TableCopy.pending(r.database(), r.table(), r.where());
                log.info(
                        "Snapshot of {}.{} requested{}; it starts after the copies before it",
                        r.database(),
                        r.table(),
                        r.where().isEmpty() ? "" : " where " + r.where());
            } else if (r != null) {
                log.warn(
                        "Ignoring the snapshot request for {}.{}: the table is not captured (filter.include / "
                                + "filter.exclude)",
                        r.database(),
                        r.table());
            }
            with.chunks().addRequest(copy, received.nextOffset());
        }
    }

    // --- commits ------------------------------------------------------------------------------------------------

    private void markBatchStarted() {
        if (batchStartedMs < 0) {
            batchStartedMs = clock.getAsLong();
        }
    }

    private long pollTimeoutMs() {
        if (with.chunks().active()) {
            return 2; // a copy is running: publish its chunks as they arrive, not at the next binlog event
        }
        if (batchStartedMs < 0) {
            return 200;
        }
        long now = clock.getAsLong();
        long due = batchStartedMs + config.commitIntervalMs();
        if (tx == null) {
            due = Math.min(due, lastCommitMs + config.commitMinIntervalMs()); // caught up: commit once allowed
        }
        return Math.max(1, due - now);
    }

    /**
     * Commits at a source transaction boundary once the batch is big or old enough, or once the pipeline has caught
     * up with what the server sent and the previous commit is at least pipeline.commit-min-interval-ms ago: when
     * the pipeline keeps up, a row waits for about one Kafka commit instead of a whole commit interval, and while a
     * backlog is read (the queue never runs dry) batches still grow to the interval or the size limit.
     */
    private void commitIfDue() {
        if (tx != null || boundary.equals(committed) && batchEvents == 0) {
            return;
        }
        long now = clock.getAsLong();
        boolean full = batchEvents >= config.commitMaxEvents();
        boolean old = batchStartedMs >= 0 && now - batchStartedMs >= config.commitIntervalMs();
        boolean caughtUp = with.reader().drained() && now - lastCommitMs >= config.commitMinIntervalMs();
        if (full || old || caughtUp) {
            commit(boundary);
        }
    }

    /**
     * The delivery guarantee weakens here, by configuration: a source transaction with more than
     * pipeline.max-transaction-events row events is committed to Kafka in parts, so a read_committed consumer can
     * see part of it before the rest. Still exactly once: the position records how many of its events are out.
     */
    private void commitInsideTransaction() {
        log.info(
                "Transaction {} exceeds pipeline.max-transaction-events ({}); committing its first {} events",
                tx.gtid,
                config.maxTransactionEvents(),
                tx.rowChanges);
        commit(boundary.insideTransaction(tx.gtid, tx.rowChanges));
    }

    /**
     * The queue is empty: every event the server sent has been handled. With nothing uncommitted either, the
     * pipeline is caught up with the source right now (what the lag metric reports), and every
     * source.heartbeat-seconds the unchanged position is committed again: an empty Kafka transaction that proves
     * the Kafka side still works while idle (a dead broker or a fencing instance is noticed now, not at the next
     * write) and gives /health a recent commit to judge progress by.
     */
    private void whenIdle() {
        if (tx != null || batchEvents > 0 || !boundary.equals(committed)) {
            return;
        }
        long now = clock.getAsLong();
        with.stats().recordCaughtUp(now);
        if (now - lastCommitMs >= source.heartbeat().toMillis()) {
            commit(committed);
        }
    }

    /**
     * A newer instance of this pipeline (same config, so the same server_id) displaces this one's binlog connection
     * and fences its Kafka producer at once; which of the two this instance notices first is a race. Kafka's answer
     * is the one that names the cause, so ask it before reporting a server_id collision: abort the open
     * transaction, or with nothing pending repeat the idle heartbeat commit of the unchanged position. Both throw
     * the fencing error (exit 7) when another instance holds the transactional.id.
     */
    private void stopIfFenced() {
        if (with.writer().inTransaction()) {
            with.writer().abortUnlessFenced();
        } else if (tx == null && batchEvents == 0 && boundary.equals(committed)) {
            try {
                commit(committed);
            } catch (KafkaWriter.KafkaWriteException unreachable) {
                log.debug(
                        "Kafka did not answer the fencing probe ({}); reporting the server_id collision",
                        unreachable.getMessage());
            }
        }
    }

    private void commit(BinlogPosition position) {
        long now = clock.getAsLong();
        with.writer().commit(new Checkpoint(position, with.chunks().progress()), now);
        with.stats().recordCommit(position, batchEvents, batchTransactions, batchSourceTimeMs, now);
        log.debug("Committed {} events, {} transactions up to {}", batchEvents, batchTransactions, position);
        lastCommitMs = now;
        positionFile = new PositionFile(file, fileLastEventMs, false);
        with.stats().recordPositionFile(positionFile);
        committed = position;
        batchEvents = 0;
        batchTransactions = 0;
        batchStartedMs = -1;
    }

    private void finishOnStop() {
        if (tx == null && (!boundary.equals(committed) || batchEvents > 0)) {
            commit(boundary); // snapshot rows can be pending without any new source transaction
        } else {
            // Inside a source transaction: drop the partial Kafka transaction; a restart re-reads it whole.
            with.writer().abort();
        }
        log.info("Stopped at {}", committed.describe());
    }

    private static EventHeaderV4 header(Event event) {
        return event.getHeader();
    }

    /** The source transaction being read. */
    private static final class Transaction {
        final String gtid;
        final long commitTimeMs;
        final long skip;
        /**
         * Where the transaction starts in the binlog (the end of the event before its GTID event). A snapshot chunk
         * read at coordinates P saw this transaction exactly when it starts before P: P is always a transaction
         * boundary, so comparing with the start is exact, and needs no coordinates from inside the transaction.
         */
        final BinlogCoordinates start;

        long rowChanges;

        Transaction(String gtid, long commitTimeMs, long skip, BinlogCoordinates start) {
            this.gtid = gtid;
            this.commitTimeMs = commitTimeMs;
            this.skip = skip;
            this.start = start;
        }
    }

    /** Where rows of one table id go, and its qualified name; {@code table == null} for a table that is not captured. */
    private record Target(TableMapEventData map, EnvelopeEncoder.TableEncoding table, String topic, String name) {
        boolean sameDefinition(TableMapEventData other) {
            return map.getDatabase().equals(other.getDatabase())
                    && map.getTable().equals(other.getTable())
                    && Arrays.equals(map.getColumnTypes(), other.getColumnTypes())
                    && Arrays.equals(map.getColumnMetadata(), other.getColumnMetadata())
                    && map.getEventMetadata() != null
                    && other.getEventMetadata() != null
                    && map.getEventMetadata()
                            .getColumnNames()
                            .equals(other.getEventMetadata().getColumnNames());
        }
    }
}
