package dev.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The read-ahead between the binlog thread and the pipeline thread is bounded by bytes as well as by events. */
class ReadAheadQueueTest {
    @Test
    void aPutWaitsWhileTheQueuedEventsHoldTheByteBudget() throws Exception {
        ReadAheadQueue<String> q = new ReadAheadQueue<>(100, 1_000);
        q.put("a", 600);
        q.put("b", 400);
        assertEquals(1_000, q.bytesHeld());
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> put(q, "c", 300));
        awaitWaitingPut(q);
        assertEquals("a", q.poll(0));
        third.get(10, TimeUnit.SECONDS);
        assertEquals(700, q.bytesHeld());
        assertEquals("b", q.poll(0));
        assertEquals("c", q.poll(0));
        assertNull(q.poll(0));
        assertEquals(0, q.bytesHeld());
    }

    @Test
    void anEventLargerThanTheBudgetGoesInAloneOnceTheQueueHoldsNoBytes() throws Exception {
        ReadAheadQueue<String> q = new ReadAheadQueue<>(100, 1_000);
        q.put("small", 10);
        q.put("marker", 0);
        CompletableFuture<Void> huge = CompletableFuture.runAsync(() -> put(q, "huge", 5_000_000));
        awaitWaitingPut(q);
        assertEquals("small", q.poll(0));
        huge.get(10, TimeUnit.SECONDS);
        assertEquals(1_000, q.bytesHeld());
        assertEquals("marker", q.poll(0));
        assertEquals("huge", q.poll(0));
    }

    @Test
    void clearDropsEverythingAndLetsAWaitingPutGoOn() throws Exception {
        ReadAheadQueue<String> q = new ReadAheadQueue<>(100, 1_000);
        q.put("a", 1_000);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> put(q, "b", 1));
        awaitWaitingPut(q);
        q.clear();
        waiting.get(10, TimeUnit.SECONDS);
        assertEquals("b", q.poll(0));
    }

    @Test
    void itemsTakenInABatchButNotHandedOutStillCountAsQueuedAndHoldTheirBytes() throws Exception {
        ReadAheadQueue<String> q = new ReadAheadQueue<>(100, 1_000);
        q.put("a", 100);
        q.put("b", 200);
        q.put("c", 300);
        assertEquals("a", q.poll(0)); // takes all three from the queue, hands out one
        assertEquals(500, q.bytesHeld(), "b and c still hold their bytes");
        assertFalse(q.isEmpty(), "b and c are still to be handed out");
        q.put("d", 50);
        assertEquals("b", q.poll(0), "the batch keeps the order");
        q.clear();
        assertTrue(q.isEmpty());
        assertEquals(0, q.bytesHeld(), "clear gives back the batch's bytes too");
        assertNull(q.poll(0));
    }

    private static void awaitWaitingPut(ReadAheadQueue<String> q) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!q.putWaitingForBytes()) {
            assertTrue(System.nanoTime() < deadline, "no put waited for bytes");
            Thread.onSpinWait();
        }
    }

    private static void put(ReadAheadQueue<String> q, String item, long bytes) {
        try {
            q.put(item, bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
