package dev.sluice.pipeline;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import dev.sluice.event.EnvelopeEncoder;
import dev.sluice.event.Op;
import dev.sluice.event.SourceMeta;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.KafkaWriter;
import dev.sluice.pipeline.TableTargets.Target;
import dev.sluice.schema.SchemaVersion;
import dev.sluice.schema.TableSchema;
import dev.sluice.snapshot.ChunkHandoff;
import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map.Entry;
import java.util.function.LongSupplier;

/**
 * Row changes into the open Kafka transaction: each row of a captured table becomes one envelope (two when an UPDATE
 * changes the primary key), numbered by its index in the source transaction, and noted for a table copy that is
 * running ({@link ChunkHandoff}). The hot path. Owned by the stream thread.
 */
final class RowEmitter {
    private final TableTargets targets;
    private final SchemaRecorder schemaRecorder;
    private final EnvelopeEncoder encoder;
    private final KafkaWriter writer;
    private final ChunkHandoff chunks;
    private final TransactionFraming transactions;
    private final BinlogCursor cursor;
    private final Committer committer;
    private final long maxTransactionEvents;
    private final LongSupplier clock;

    RowEmitter(
            TableTargets targets,
            SchemaRecorder schemaRecorder,
            EnvelopeEncoder encoder,
            KafkaWriter writer,
            ChunkHandoff chunks,
            Stream stream,
            long maxTransactionEvents,
            LongSupplier clock) {
        this.targets = targets;
        this.schemaRecorder = schemaRecorder;
        this.encoder = encoder;
        this.writer = writer;
        this.chunks = chunks;
        this.transactions = stream.transactions();
        this.cursor = stream.cursor();
        this.committer = stream.committer();
        this.maxTransactionEvents = maxTransactionEvents;
        this.clock = clock;
    }

    /** The stream thread's position state the emitter reads: the open transaction, the cursor, the batch. */
    record Stream(TransactionFraming transactions, BinlogCursor cursor, Committer committer) {}

    void onWrite(Event event) {
        WriteRowsEventData d = event.getData();
        Target target = target(d.getTableId());
        List<Serializable[]> rows = d.getRows();
        for (int i = 0; i < rows.size(); i++) {
            emit(target, Op.CREATE, null, rows.get(i), d.getIncludedColumns(), event, i);
        }
    }

    void onUpdate(Event event) {
        UpdateRowsEventData d = event.getData();
        Target target = target(d.getTableId());
        if (target.captured()) {
            // The after image alone can be complete while the before image is not (MINIMAL logs only the key
            // before an UPDATE that sets every column): check both, or the before values would be misread.
            requireFullImage(target.table().schema(), d.getIncludedColumnsBeforeUpdate());
        }
        List<Entry<Serializable[], Serializable[]>> rows = d.getRows();
        for (int i = 0; i < rows.size(); i++) {
            Entry<Serializable[], Serializable[]> row = rows.get(i);
            emit(target, Op.UPDATE, row.getKey(), row.getValue(), d.getIncludedColumns(), event, i);
        }
    }

    void onDelete(Event event) {
        DeleteRowsEventData d = event.getData();
        Target target = target(d.getTableId());
        List<Serializable[]> rows = d.getRows();
        for (int i = 0; i < rows.size(); i++) {
            emit(target, Op.DELETE, rows.get(i), null, d.getIncludedColumns(), event, i);
        }
    }

    private void emit(
            Target target, Op op, Serializable[] before, Serializable[] after, BitSet included, Event event, int row) {
        SourceTransaction tx = transactions.require(event);
        long eventIndex = tx.nextEventIndex();
        if (tx.alreadyPublished(eventIndex) || !target.captured()) {
            return;
        }
        requireFullImage(target.table().schema(), included);
        EventHeaderV4 header = event.getHeader();
        SourceMeta meta = new SourceMeta(
                tx.gtid(),
                cursor.file(),
                cursor.eventStart(),
                header.getTimestamp(),
                header.getServerId(),
                tx.ordinal());
        long now = clock.getAsLong();
        if (!target.schemaRecorded) {
            recordSchema(target, meta, eventIndex);
        }
        if (op == Op.UPDATE && keyChanged(target, before, after)) {
            // Primary key changed: as Debezium does, a delete under the old key and a create under the new one,
            // so a consumer (or a compacted topic) keyed by primary key sees both rows correctly.
            send(target, tx, Op.DELETE, before, null, meta, row, eventIndex, now);
            send(target, tx, Op.CREATE, null, after, meta, row, eventIndex, now);
        } else {
            send(target, tx, op, before, after, meta, row, eventIndex, now);
        }
        committer.splitIfFull(tx, maxTransactionEvents);
    }

    /** The first published event of a table definition: its schema version goes first, in the same transaction. */
    private void recordSchema(Target target, SourceMeta meta, long eventIndex) {
        SchemaVersion.AppliesFrom from = new SchemaVersion.AppliesFrom(
                false, meta.gtid(), eventIndex, meta.file(), meta.position(), meta.commitTimeMs());
        schemaRecorder.recordIfNew(target.table().schema(), target.table().schemaVersion(), from);
        target.schemaRecorded = true;
    }

    private boolean keyChanged(Target target, Serializable[] before, Serializable[] after) {
        return !Arrays.equals(encoder.key(target.table(), before), encoder.key(target.table(), after));
    }

    private void send(
            Target target,
            SourceTransaction tx,
            Op op,
            Serializable[] before,
            Serializable[] after,
            SourceMeta meta,
            int row,
            long eventIndex,
            long now) {
        byte[] key = encoder.key(target.table(), after != null ? after : before);
        if (chunks.watching(target.name())) {
            chunks.recordChange(key, tx.start());
        }
        byte[] value = encoder.value(op, target.table(), before, after, meta, row, eventIndex, now);
        writer.send(target.topic(), key, value, target.name(), meta.gtid(), eventIndex);
        committer.sent(1, now);
        countFor(target, meta.commitTimeMs());
    }

    private void countFor(Target target, long sourceTimeMs) {
        TableCounts counts = committer.tableCounts();
        if (target.count == null) {
            target.count = counts.of(target.name());
        }
        counts.add(target.count, sourceTimeMs);
    }

    private Target target(long tableId) {
        Target target = targets.get(tableId);
        if (target == null) {
            throw new SluiceException(
                    ExitCode.DATA,
                    "Rows event at " + cursor.describe() + " refers to table id " + tableId
                            + " with no TABLE_MAP before it. Stopped at "
                            + committer.committed().describe() + ".");
        }
        return target;
    }

    private static void requireFullImage(TableSchema schema, BitSet included) {
        if (included.cardinality() != schema.columns().size()) {
            throw new IllegalArgumentException("the row image of " + schema.qualifiedName() + " has "
                    + included.cardinality() + " of " + schema.columns().size() + " columns; binlog_row_image must "
                    + "be FULL (SET GLOBAL binlog_row_image=FULL; a session of the source that set binlog_row_image "
                    + "to MINIMAL or NOBLOB wrote this event)");
        }
    }
}
