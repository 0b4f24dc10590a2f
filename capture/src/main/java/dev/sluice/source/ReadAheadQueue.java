package dev.sluice.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The queue between the binlog library's thread and the pipeline thread, bounded twice: by items, and by the binlog
 * bytes the items came from. The count alone does not bound memory: 8,192 rows events are 8,192 x 8 KB of binlog
 * at the server's default binlog_row_event_max_size, and one row each however large (a row is never split), so
 * while the pipeline drains a backlog the queued events held ~150 MB of decoded 100-byte rows inside a large
 * transaction, and ~500 MB of 64 KB rows, of a 512 MB heap ({@code bench pipeline}, W2 and W5 with 64 KB rows).
 * The byte budget keeps the read-ahead to a few MB of binlog, which is still seconds of the pipeline's work.
 *
 * <p>The polling thread takes up to {@value #BATCH} items at a time and hands them out one by one: taking them
 * singly woke the putting thread for every freed slot while the queue was full, two thread switches per event
 * (a tenth of the pipeline thread's samples on 1-row transactions). An item's bytes are given back when it is
 * handed out, so the byte bound stays exact.
 *
 * <p>Thread ownership: one thread puts (the library's), one polls (the pipeline's); {@link #clear} may come from any.
 */
final class ReadAheadQueue<T> {
    private static final int BATCH = 256;

    private final BlockingQueue<Entry<T>> queue;
    /** Taken from {@link #queue} by the polling thread, not handed out yet; guarded by itself. */
    private final ArrayDeque<Entry<T>> taken = new ArrayDeque<>(BATCH);

    private final Semaphore bytes;
    private final int byteBudget;

    private record Entry<T>(T item, int cost) {}

    ReadAheadQueue(int capacity, int byteBudget) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.bytes = new Semaphore(byteBudget);
        this.byteBudget = byteBudget;
    }

    /**
     * Adds {@code item}, which came from {@code binlogBytes} of binlog, waiting while the queue is full or holds too
     * many bytes. An item larger than the whole budget waits until the queue holds no bytes, then goes in alone.
     */
    void put(T item, long binlogBytes) throws InterruptedException {
        int cost = (int) Math.min(Math.max(0, binlogBytes), byteBudget);
        bytes.acquire(cost);
        try {
            queue.put(new Entry<>(item, cost));
        } catch (InterruptedException e) {
            bytes.release(cost);
            throw e;
        }
    }

    /** The next item, or {@code null} if none arrived within the timeout. */
    T poll(long timeoutMs) throws InterruptedException {
        Entry<T> e;
        synchronized (taken) {
            if (taken.isEmpty()) {
                queue.drainTo(taken, BATCH);
            }
            e = taken.poll();
        }
        if (e == null) {
            e = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }
        if (e == null) {
            return null;
        }
        bytes.release(e.cost());
        return e.item();
    }

    /** Whether nothing is queued right now. */
    boolean isEmpty() {
        synchronized (taken) {
            return taken.isEmpty() && queue.isEmpty();
        }
    }

    /**
     * Drops every item queued when it is called, which lets a waiting {@link #put} go on; an item that put adds
     * afterwards stays (one atomic drain, not a loop that could also swallow it).
     */
    void clear() {
        List<Entry<T>> dropped = new ArrayList<>();
        synchronized (taken) {
            dropped.addAll(taken);
            taken.clear();
            queue.drainTo(dropped);
        }
        dropped.forEach(e -> bytes.release(e.cost()));
    }

    /** Whether a {@link #put} is waiting for bytes: for tests, which await it instead of sleeping. */
    boolean putWaitingForBytes() {
        return bytes.hasQueuedThreads();
    }

    int bytesHeld() {
        return byteBudget - bytes.availablePermits();
    }
}
