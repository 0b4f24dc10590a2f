package dev.sluice.failure;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Named places where a fault test can make the process die instantly, as kill -9 would, to prove that a crash at
 * that exact instant neither loses nor repeats an event. Enabled only by the system property
 * {@code sluice.crash.at=<point>:<n>} (halt at the n-th time the point is reached); without it every call is a
 * single static field check.
 */
public final class CrashPoints {
    /** After a row event is handed to the producer, inside an open Kafka transaction. */
    public static final String MID_TRANSACTION = "mid-transaction";
    /** After the position record is sent, just before commitTransaction(). */
    public static final String BEFORE_COMMIT = "before-commit";
    /**
     * When the broker acknowledges the position record: the ack arrives while commitTransaction() flushes, before
     * the transaction's end marker is written (the position is sent last, and the commit is called right after).
     */
    public static final String DURING_COMMIT = "during-commit";
    /** After a schema change record is handed to the producer. */
    public static final String SCHEMA_CHANGE = "schema-change";
    /** After a table's schema version is handed to the producer, before the first event that names it. */
    public static final String SCHEMA_VERSION = "schema-version";
    /** Right after commitTransaction() returned. */
    public static final String AFTER_COMMIT = "after-commit";
    /** A loader's batch: its target transaction is open, before the batch's offset rows are locked and checked. */
    public static final String LOAD_BEFORE_CLAIM = "load-before-claim";
    /** A loader's batch: rows and offsets are written in the target, just before the transaction commits. */
    public static final String LOAD_BEFORE_COMMIT = "load-before-commit";
    /** A loader's batch: right after the target committed it, before the worker moves its positions on. */
    public static final String LOAD_AFTER_COMMIT = "load-after-commit";

    private static final String POINT;
    private static final long AT;
    /** Reached from several threads: the pipeline's and the producer's I/O thread, or a loader's workers. */
    private static final AtomicLong HITS = new AtomicLong();

    static {
        String spec = System.getProperty("sluice.crash.at", "");
        int colon = spec.lastIndexOf(':');
        POINT = colon > 0 ? spec.substring(0, colon) : null;
        AT = colon > 0 ? Long.parseLong(spec.substring(colon + 1)) : -1;
    }

    private CrashPoints() {}

    public static void reached(String point) {
        if (POINT != null && POINT.equals(point) && HITS.incrementAndGet() == AT) {
            System.err.println("CRASH POINT " + point + " reached " + AT + " time(s): halting");
            Runtime.getRuntime().halt(99);
        }
    }
}
