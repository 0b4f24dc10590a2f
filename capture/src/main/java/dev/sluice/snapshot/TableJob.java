package dev.sluice.snapshot;

import dev.sluice.position.BinlogCoordinates;
import dev.sluice.position.TableCopy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running copy of one table: how far chunks are planned, which are being read, which wait for the stream, and
 * which is published next. Guarded by {@link ChunkHandoff}'s lock; only the handoff changes it.
 */
final class TableJob {
    final boolean keyless;
    final long startedMs;
    final Map<Long, BinlogCoordinates> inflight = new HashMap<>();
    final TreeMap<Long, Chunk> ready = new TreeMap<>();
    TableCopy copy;
    /** Bumped when unpublished chunks become invalid (a schema change): their reads are discarded on delivery. */
    int generation;
    /** Key after which the next chunk starts (null: the table's start). */
    List<Object> cursor;

    boolean exhausted;
    long nextPlanSeq;
    long nextEmitSeq;
    long rowsSinceStart;
    int conflicts;
    boolean finished;

    TableJob(TableCopy copy, boolean keyless, long startedMs) {
        this.copy = copy;
        this.keyless = keyless;
        this.startedMs = startedMs;
        this.cursor = copy.after();
        this.nextPlanSeq = copy.chunks();
        this.nextEmitSeq = copy.chunks();
    }

    /** Forget every unpublished chunk and plan again after the last published one. */
    void restartFromPublished() {
        generation++;
        inflight.clear();
        ready.clear();
        cursor = copy.after();
        exhausted = false;
        nextPlanSeq = nextEmitSeq;
    }

    /** A chunk to read: its place in key order, the generation it belongs to, and the key it starts after. */
    record Plan(long seq, int generation, List<Object> after) {}
}
