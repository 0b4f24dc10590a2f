package dev.sluice.source;

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
 * <p>Thread ownership: one thread puts (the library's), one polls (the pipeline's); {@link #clear} may come from any.
 */
final class ReadAheadQueue<T> {
    private final BlockingQueue<Entry<T>> queue;
    private final Semaphore bytes;
    private final int byteBudget;

    private record Entry<T>(T item, int cost) {
    }

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
        Entry<T> e = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (e == null) {
            return null;
        }
        bytes.release(e.cost());
        return e.item();
    }

    /** Whether nothing is queued right now. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Drops every queued item, which lets a waiting {@link #put} go on. */
    void clear() {
        Entry<T> e;
        while ((e = queue.poll()) != null) {
            bytes.release(e.cost());
        }
    }

    /** Whether a {@link #put} is waiting for bytes: for tests, which await it instead of sleeping. */
    boolean putWaitingForBytes() {
        return bytes.hasQueuedThreads();
    }

    int bytesHeld() {
        return byteBudget - bytes.availablePermits();
    }
}
