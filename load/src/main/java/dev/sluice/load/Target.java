package dev.sluice.load;

/** One target database, opened by its {@link TargetDriver}: a session per worker, shared by nothing else. */
public interface Target extends AutoCloseable {
    /** For log lines: kind, version and address, e.g. {@code PostgreSQL 15.20 at 127.0.0.1:5432/analytics}. */
    String describe();

    /** A new connection for one worker thread. */
    TargetSession openSession();

    @Override
    void close();
}
