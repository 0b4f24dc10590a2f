package dev.sluice.admin;

import java.io.IOException;
import java.io.OutputStream;
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

    /** Stops whatever the pages run beside the server (e.g. a watcher thread); called when the server closes. */
    @Override
    default void close() {}
}
