package dev.sluice.pipeline;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.TableFilter;
import dev.sluice.event.EnvelopeEncoder;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.KafkaWriter;
import dev.sluice.kafka.SnapshotRequests;
import dev.sluice.kafka.TopicAdmin;
import dev.sluice.kafka.TopicNames;
import dev.sluice.monitor.PipelineStats;
import dev.sluice.position.BinlogPosition;
import dev.sluice.schema.SchemaVersions;
import dev.sluice.snapshot.ChunkHandoff;
import dev.sluice.snapshot.Snapshotter;
import dev.sluice.source.BinlogReader;
import dev.sluice.source.BinlogReader.BinlogConnectionException;
import dev.sluice.source.SchemaBuilder;
import dev.sluice.source.SourceItem;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The stream thread's loop: it takes binlog events in order and hands each to its handler, listed in one place,
 * {@link #dispatchTable()}: handled, deliberately ignored, or refused. An event type that is not listed stops the
 * pipeline at its position; nothing is ever skipped silently. Between events it publishes ready snapshot chunks and
 * commits when due.
 *
 * <p>The handlers, each owning one part of the stream thread's state: {@link TransactionFraming} (the open source
 * transaction), {@link TableTargets} and {@link RowEmitter} (TABLE_MAP and rows), {@link SchemaChangePublisher}
 * (DDL), {@link BinlogCursor} and {@link BinlogFileTimes} (where the stream is, for positions and the purge
 * estimate), {@link ChunkPublisher} (table copies), and {@link Committer} with {@link CommitPolicy}, the only code
 * that advances the position. All of it is owned by the thread that calls {@link #run()}; only
 * {@link #requestStop()} is called from other threads.
 */
final class StreamLoop {
    private final Collaborators with;
    private final SluiceConfig.Source source;
    private final LongSupplier clock;
    private final BinlogCursor cursor;
    private final BinlogFileTimes fileTimes;
    private final Committer committer;
    private final TransactionFraming transactions;
    private final TableTargets tables;
    private final RowEmitter rows;
    private final SchemaChangePublisher schemaChanges;
    private final ChunkPublisher snapshots;
    private final Map<EventType, Consumer<Event>> dispatch;
    private long lastSourceItemMs;
    private volatile boolean stopRequested;

    /** What the loop reads from and writes to. */
    record Collaborators(
            BinlogReader reader,
            KafkaWriter writer,
            TopicAdmin topics,
            TopicNames names,
            TableFilter filter,
            SchemaBuilder schemas,
            SchemaVersions versions,
            EnvelopeEncoder encoder,
            PipelineStats stats,
            ChunkHandoff chunks,
            Snapshotter snapshotter,
            SnapshotRequests requests) {}

    StreamLoop(
            Collaborators with,
            SluiceConfig.Source source,
            SluiceConfig.Pipeline config,
            BinlogPosition start,
            LongSupplier clock) {
        this.with = with;
        this.source = source;
        this.clock = clock;
        this.lastSourceItemMs = clock.getAsLong();
        this.cursor = new BinlogCursor(start.file());
        this.fileTimes = new BinlogFileTimes(cursor, with.stats());
        CommitPolicy policy = new CommitPolicy(config, source.heartbeat(), lastSourceItemMs);
        this.committer = new Committer(with.writer(), with.chunks(), with.stats(), policy, fileTimes, start, clock);
        this.transactions = new TransactionFraming(cursor, committer);
        this.tables = new TableTargets(
                with.filter(), with.schemas(), with.versions(), with.names(), with.topics(), with.encoder());
        SchemaRecorder schemaRecorder = new SchemaRecorder(with.versions(), with.names(), with.writer());
        this.rows = new RowEmitter(
                tables,
                schemaRecorder,
                with.encoder(),
                with.writer(),
                with.chunks(),
                new RowEmitter.Stream(transactions, cursor, committer),
                config.maxTransactionEvents(),
                clock);
        this.schemaChanges =
                new SchemaChangePublisher(with.filter(), with.names(), with.writer(), cursor, committer, clock);
        SnapshotRequestIntake requests =
                new SnapshotRequestIntake(with.requests(), with.chunks(), with.filter(), clock);
        this.snapshots = new ChunkPublisher(
                with.snapshotter(),
                with.chunks(),
                requests,
                schemaRecorder,
                with.names(),
                with.topics(),
                with.writer(),
                committer,
                clock);
        this.dispatch = dispatchTable();
    }

    void requestStop() {
        stopRequested = true;
    }

    /** Runs until {@link #requestStop()} or a failure; returns the last committed position. */
    BinlogPosition run() throws InterruptedException {
        while (!stopRequested) {
            SourceItem item = with.reader()
                    .poll(committer.pollTimeoutMs(
                            transactions.isOpen(), with.chunks().active()));
            if (item instanceof SourceItem.BinlogEvent e) {
                lastSourceItemMs = clock.getAsLong();
                with.stats().recordSourceActivity(lastSourceItemMs);
                handle(e.event());
            } else if (item instanceof SourceItem.Failure f) {
                if (SourceFailures.isDisplacedBySameServerId(f.cause())) {
                    committer.stopIfFenced(transactions.isOpen());
                }
                throw SourceFailures.classify(f.cause(), committer.committed(), source);
            } else {
                requireLiveLink();
                whenIdle();
            }
            betweenEvents();
        }
        committer.finish(transactions.isOpen());
        return committer.committed();
    }

    private Map<EventType, Consumer<Event>> dispatchTable() {
        Map<EventType, Consumer<Event>> table = new EnumMap<>(EventType.class);
        table.put(EventType.MARIADB_GTID, transactions::onMariaDbGtid);
        table.put(EventType.GTID, transactions::onMySqlGtid);
        table.put(EventType.TABLE_MAP, tables::onTableMap);
        for (EventType t : List.of(EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS)) {
            table.put(t, rows::onWrite);
        }
        for (EventType t : List.of(EventType.UPDATE_ROWS, EventType.EXT_UPDATE_ROWS)) {
            table.put(t, rows::onUpdate);
        }
        for (EventType t : List.of(EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS)) {
            table.put(t, rows::onDelete);
        }
        table.put(EventType.XID, transactions::onXid);
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
        EventHeaderV4 header = event.getHeader();
        fileTimes.noteEvent(header, type);
        String eventFile = cursor.file(); // a ROTATE's own coordinates are in the file it ends
        long eventEnd = cursor.locate(header, transactions.open());
        Consumer<Event> handler = dispatch.get(type);
        if (handler == null) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Binlog event " + type + " at " + cursor.describe() + " cannot be interpreted by Sluice"
                            + insideOpenTransaction(" (inside transaction ", ")") + ". Stopped at "
                            + committer.committed().describe() + "; nothing after it was published. "
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
                    "Cannot decode binlog event " + type + " at " + cursor.describe()
                            + insideOpenTransaction(" in transaction ", "") + ": " + e.getMessage() + ". Stopped at "
                            + committer.committed().describe() + "; nothing after it was published.",
                    e);
        }
    }

    private String insideOpenTransaction(String prefix, String suffix) {
        return transactions.isOpen() ? prefix + transactions.open().gtid() + suffix : "";
    }

    /**
     * A transaction's changes are placed at its start (see {@link SourceTransaction#start}), which is exact whatever
     * coordinates the events inside it carry.
     */
    private void noteReadEnd(String eventFile, long eventEnd) {
        if (eventEnd > 0) {
            cursor.readThrough(eventFile, eventEnd);
            with.chunks().advance(eventFile, eventEnd);
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

    /** QUERY events frame transactions (BEGIN, COMMIT) or carry DDL, which is a transaction of its own. */
    private void onQuery(Event event) {
        QueryEventData d = event.getData();
        String sql = d.getSql().trim();
        String upper = sql.length() > 16 ? sql.substring(0, 16).toUpperCase(Locale.ROOT) : sql.toUpperCase(Locale.ROOT);
        if (upper.equals("BEGIN") || upper.startsWith("SAVEPOINT") || upper.startsWith("ROLLBACK TO")) {
            return;
        }
        if (upper.equals("COMMIT") || upper.equals("ROLLBACK")) {
            // Non-transactional tables: their changes are applied even on ROLLBACK, so both end the transaction.
            transactions.end(event);
            return;
        }
        if (upper.startsWith("XA ")) {
            throw new UnsupportedOperationException("XA transactions are not supported yet");
        }
        SourceTransaction tx = transactions.require(event);
        with.chunks().schemaChanged(d.getDatabase() == null ? "" : d.getDatabase());
        schemaChanges.publish(d, event, tx);
        // A DDL statement is its own transaction: no XID follows it.
        transactions.end(event);
    }

    private void onRotate(Event event) {
        RotateEventData d = event.getData();
        String next = d.getBinlogFilename();
        if (!next.equals(cursor.file())) {
            fileTimes.leaving(next, committer.nothingPending());
        }
        cursor.rotate(next);
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
                    "No binlog event or heartbeat from " + source.address() + " for " + silentMs / 1000
                            + " s (heartbeat every " + source.heartbeat().toSeconds() + " s): the link looks dead",
                    null);
        }
    }

    private void whenIdle() {
        if (!transactions.isOpen()) {
            committer.whenIdle();
        }
    }

    /** Chunks and commits wait for a source transaction boundary: never inside one. */
    private void betweenEvents() {
        if (!transactions.isOpen()) {
            snapshots.publishReady();
            committer.commitIfDue(with.reader().drained());
        }
    }
}
