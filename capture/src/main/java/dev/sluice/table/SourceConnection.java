package dev.sluice.table;

import dev.sluice.config.SluiceConfig;
import dev.sluice.source.ServerCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection for exact reads of a source table (a snapshot's chunks, a job's key ranges), set up so that the values
 * {@link SnapshotCells} selects are exact. The caller opens the consistent read ({@code START TRANSACTION WITH
 * CONSISTENT SNAPSHOT}) and streams result sets with {@code Statement.setFetchSize(n)}; both work with these settings.
 * A JDBC connection serves one thread at a time: each reader opens its own.
 *
 * <p>Protocol: the text protocol, for statements and prepared statements alike (no server-side prepare). Every
 * expression in {@link SnapshotCells#selectList()} is chosen so that its text is exact: FLOAT is widened to DOUBLE
 * by the server (the server prints a FLOAT column with 6 significant digits, which is lossy; the widened double
 * prints as its shortest round-trip decimal), temporal values are CAST to their server text, character data is
 * CAST to its raw bytes. Fixing the protocol here means a caller's choice of Statement or PreparedStatement cannot
 * change a value.
 */
public final class SourceConnection {
    private static final Logger log = LoggerFactory.getLogger(SourceConnection.class);

    /** Driver properties on top of the shared ones ({@link ServerCheck#connect(SluiceConfig.Source, Map)}). */
    private static final Map<String, String> DRIVER = Map.of("useServerPrepStmts", "false");

    /**
     * Session settings; each is what makes one kind of value exact or one read possible:
     * <ul>
     *   <li>{@code time_zone='+00:00'}: a TIMESTAMP's text is its instant in UTC, one text per stored value even
     *       in a DST overlap of the server's zone (the envelope's TIMESTAMP is the UTC instant).</li>
     *   <li>{@code NAMES utf8mb4}: the temporal and label texts arrive in the charset the driver decodes; character
     *       columns are read as bytes and never converted.</li>
     *   <li>{@code sql_mode=''}: no mode that changes what a SELECT returns (PAD_CHAR_TO_FULL_LENGTH would pad
     *       CHAR values the binlog sends without their trailing spaces; ORACLE changes expression semantics).</li>
     *   <li>{@code net_write_timeout=3600}: a worker may stop reading a streamed result set while Kafka applies
     *       back-pressure; the server abandons a result its client has not read for this long (default 60 s).</li>
     * </ul>
     */
    private static final String SESSION = "SET NAMES utf8mb4, SESSION time_zone = '+00:00', SESSION sql_mode = '', "
            + "SESSION net_write_timeout = 3600";

    private SourceConnection() {}

    public static Connection open(SluiceConfig.Source source) throws SQLException {
        Connection c = ServerCheck.connect(source, DRIVER);
        try (Statement st = c.createStatement()) {
            st.execute(SESSION);
            // WITH CONSISTENT SNAPSHOT is only a snapshot under REPEATABLE READ: under READ COMMITTED the server
            // ignores it (with a warning) and each statement of the "consistent" read would see newer rows.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        log.debug("Exact-read connection to {} open", source.address());
        return c;
    }
}
