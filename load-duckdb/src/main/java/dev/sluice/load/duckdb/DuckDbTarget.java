package dev.sluice.load.duckdb;

import dev.sluice.config.LoadConfig;
import dev.sluice.load.LoadStats;
import dev.sluice.load.Target;
import dev.sluice.load.TargetSession;
import dev.sluice.load.sql.NulledValues;
import dev.sluice.load.sql.OwnTables;
import dev.sluice.load.sql.SqlSession;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DuckDB file target. The target holds the file's one database instance (and so DuckDB's file lock) from open to
 * close; each worker's session is a connection duplicated from it, so the workers share the instance, and DuckDB's
 * transactions keep their batches apart.
 */
final class DuckDbTarget implements Target {
    private static final Logger log = LoggerFactory.getLogger(DuckDbTarget.class);

    private final LoadConfig config;
    private final DuckDBConnection database;
    private final String version;
    private final LoadStats stats;
    /** The columns whose first NULL in place of a value was logged: once per process (NulledValues). */
    private final Set<LoadStats.Column> nulledLogged = ConcurrentHashMap.newKeySet();

    private DuckDbTarget(LoadConfig config, DuckDBConnection database, String version, LoadStats stats) {
        this.config = config;
        this.database = database;
        this.version = version;
        this.stats = stats;
    }

    static DuckDbTarget open(LoadConfig config, LoadStats stats) {
        DuckDBConnection database = DuckDbFile.open(config, false);
        try {
            String version = version(database);
            createOwnTables(database, config);
            return new DuckDbTarget(config, database, version, stats);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(database);
            throw e instanceof SQLException sql
                    ? DuckDbSql.INSTANCE.translate(sql, "preparing the loader's tables in " + file(config))
                    : (RuntimeException) e;
        }
    }

    /** Under the file's writer lock, as every write of the file in this process: DuckDB would fail a concurrent one. */
    private static void createOwnTables(DuckDBConnection database, LoadConfig config) throws SQLException {
        DuckDbSql writer = DuckDbSql.forFile(file(config));
        writer.beforeBatch();
        try {
            new OwnTables(database, writer.claim(), config.target().ownSchema()).create();
        } finally {
            writer.afterBatch();
        }
    }

    @Override
    public String describe() {
        return "DuckDB " + version + " at " + file(config);
    }

    @Override
    public TargetSession openSession() {
        try {
            DuckDBConnection c = database.duplicate();
            c.setAutoCommit(false);
            return new SqlSession(c, config, DuckDbSql.forFile(file(config)), new NulledValues(stats, nulledLogged));
        } catch (SQLException e) {
            throw DuckDbSql.INSTANCE.translate(e, "opening a session on " + file(config));
        }
    }

    static String version(DuckDBConnection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version()")) {
            rs.next();
            String version = rs.getString(1);
            c.commit();
            return version;
        }
    }

    static Path file(LoadConfig config) {
        return DuckDbFile.path(config);
    }

    /** Closing the last connection of the instance releases the file's lock. */
    @Override
    public void close() {
        closeQuietly(database);
    }

    private static void closeQuietly(DuckDBConnection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("Closing the DuckDB file: {}", e.toString());
        }
    }
}
