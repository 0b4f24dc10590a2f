package dev.sluice.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The machine's PostgreSQL service (127.0.0.1:5432, trust authentication; {@code .ci/run} starts it when it is down):
 * each test class gets a database of its own, dropped when it closes, and leaves every other database alone.
 * Unreachable, it fails the test with the command that starts it, never skips it.
 */
public final class TestPostgres implements AutoCloseable {
    public static final String HOST = System.getProperty("sluice.test.postgres", "127.0.0.1:5432");
    public static final String USER = "postgres";

    private final String database;

    private TestPostgres(String database) {
        this.database = database;
    }

    /** A new, empty database named after {@code prefix} (lower case, unique). */
    public static TestPostgres freshDatabase(String prefix) {
        String name = TestServers.uniqueName(prefix).toLowerCase();
        try (Connection c = connect("postgres");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name + "\" ENCODING 'UTF8' TEMPLATE template0");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot create a test database in PostgreSQL at " + HOST + " (" + e.getMessage()
                            + "). Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
                    e);
        }
        return new TestPostgres(name);
    }

    public String database() {
        return database;
    }

    public String url() {
        return "jdbc:postgresql://" + HOST + "/" + database;
    }

    public Connection connect() throws SQLException {
        return connect(database);
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + "/" + database, USER, "");
    }

    /** Drops the database, ending the sessions a loader may still hold on it. */
    @Override
    public void close() throws SQLException {
        try (Connection c = connect("postgres");
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        }
    }
}
