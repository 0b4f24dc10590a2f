package dev.sluice.load.postgresql;

import dev.sluice.config.LoadConfig;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.Retry;
import dev.sluice.failure.SluiceException;
import dev.sluice.load.LoadStats;
import dev.sluice.load.Target;
import dev.sluice.load.TargetSession;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PostgreSQL (15 or later) or Redshift target: connections through pgjdbc, the loader's own tables created at
 * open ({@link OwnTables}). Opening fails fast and by name on what the user must fix: an unreachable server after
 * {@code target.connect-retry-seconds} (exit 4), a refused login or missing privilege (exit 3), a database whose
 * encoding cannot hold every character (exit 2). Messages name the target by its URL without parameters, which may
 * hold a password.
 */
final class PostgresTarget implements Target {
    private final LoadConfig config;
    private final Dialect dialect;
    private final String version;
    private final LoadStats stats;
    /** The columns whose first NULL in place of a value was logged: once per process (NulledValues). */
    private final Set<LoadStats.Column> nulledLogged = ConcurrentHashMap.newKeySet();

    private PostgresTarget(LoadConfig config, Dialect dialect, String version, LoadStats stats) {
        this.config = config;
        this.dialect = dialect;
        this.version = version;
        this.stats = stats;
    }

    static PostgresTarget open(LoadConfig config, Dialect dialect, LoadStats stats) {
        try (Connection c = connect(config)) {
            requireUnicode(c, config);
            String version = scalar(c, "SELECT version()");
            new OwnTables(c, dialect, config.target().ownSchema()).create();
            return new PostgresTarget(config, dialect, version, stats);
        } catch (SQLException e) {
            throw PostgresSession.translate(e, "preparing the loader's tables in " + address(config));
        }
    }

    @Override
    public String describe() {
        String product = version.split(" on ")[0];
        return product + " at " + address(config) + " (" + dialect.name().toLowerCase() + " dialect)";
    }

    @Override
    public TargetSession openSession() {
        return new PostgresSession(connect(config), config, dialect, new NulledValues(stats, nulledLogged));
    }

    /** A connection with autocommit off, retried while the server is unreachable. */
    static Connection connect(LoadConfig config) {
        Duration budget = config.target().connectRetry();
        return new Retry(budget, Duration.ofMillis(250))
                .call("the target database at " + address(config) + " (target.url)", () -> {
                    try {
                        Connection c =
                                DriverManager.getConnection(config.target().url(), properties(config));
                        c.setAutoCommit(false);
                        return c;
                    } catch (SQLException e) {
                        if (e.getSQLState() != null && e.getSQLState().startsWith("28")) {
                            throw new SluiceException(
                                    ExitCode.SOURCE_NOT_READY,
                                    "The target database at " + address(config) + " refused user '"
                                            + config.target().user() + "': " + e.getMessage()
                                            + ". Check target.user and target.password.");
                        }
                        throw e;
                    }
                });
    }

    private static Properties properties(LoadConfig config) {
        Properties props = new Properties();
        props.setProperty("user", config.target().user());
        props.setProperty("password", config.target().password().reveal());
        props.setProperty("ApplicationName", "sluice-load " + config.load().name());
        props.setProperty("connectTimeout", "10");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("reWriteBatchedInserts", "true");
        return props;
    }

    private static void requireUnicode(Connection c, LoadConfig config) throws SQLException {
        String encoding = scalar(c, "SHOW server_encoding");
        if (!"UTF8".equalsIgnoreCase(encoding)) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    "The target database at " + address(config) + " has encoding " + encoding + ", which cannot hold "
                            + "every character the source can: load into a database created WITH ENCODING 'UTF8'.");
        }
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            String value = rs.getString(1);
            c.commit();
            return value;
        }
    }

    /** The JDBC URL without its parameters: they may hold a password. */
    static String address(LoadConfig config) {
        String url = config.target().url();
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public void close() {}
}
