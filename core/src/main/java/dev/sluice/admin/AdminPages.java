package dev.sluice.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * What one kind of Sluice process (a capture pipeline, a loader) shows on its {@link AdminServer}: its health
 * verdict and its Prometheus metrics. Called from the admin server's threads, so implementations read state that
 * other threads write and must not block on the database or Kafka.
 */
public interface AdminPages extends AutoCloseable {

    /**
     * The {@code /health} answer.
     *
     * @param details the process's own fields for the JSON body, in order; values are strings, numbers, booleans
     *     or null, never configuration values
     */
    record Health(boolean healthy, String reason, Map<String, Object> details) {}

    Health health();

    /** Writes {@code /metrics} in the format of {@link #metricsContentType()}. */
    void writeMetrics(OutputStream out) throws IOException;

    String metricsContentType();

    /**
     * The process's part of {@code /status.json} and the status page: sections such as {@code source},
     * {@code capture}, {@code tables} or {@code loader}, built of maps, lists, strings, numbers and booleans (the
     * names are documented in docs/operations.md and stay stable). Never configuration values.
     */
    Map<String, Object> status();

    /**
     * One value for each chart on the status page, read every few seconds and kept for the last minutes. A
     * {@linkplain Reading#cumulative() cumulative} value (a counter) is charted as its rate per second.
     */
    List<Reading> readings();

    /** A named value the status page charts; {@code NaN} while unknown. */
    record Reading(String name, double value, boolean cumulative) {}

    /** Stops whatever the pages run beside the server (e.g. a watcher thread); called when the server closes. */
    @Override
    default void close() {}
}
