package dev.sluice.source;

import dev.sluice.config.SluiceConfig;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.Retry;
import dev.sluice.failure.SluiceException;
import dev.sluice.position.BinlogPosition;
import dev.sluice.position.Flavor;
import dev.sluice.position.GtidSet;
import dev.sluice.schema.CharsetMap;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Pre-flight check of the source server: reachable, configured for row-based CDC, the user has the grants, and
 * Sluice's replica server_id does not collide. Every refusal names the exact setting or grant and how to fix it,
 * because a pipeline that starts on a misconfigured server either loses data silently (compressed or MINIMAL row
 * events) or fails hours later.
 */
public final class ServerCheck {
    private final SluiceConfig.Source source;

    public ServerCheck(SluiceConfig.Source source) {
        this.source = source;
    }

    public ServerInfo run() {
        return new Retry(source.connectRetry(), Duration.ofMillis(250))
                .call("the source database at " + source.address(), this::connectAndCheck);
    }

    /** A JDBC connection to the source, as the configured user. */
    public Connection connect() throws SQLException {
        return connect(source, Map.of());
    }

    /**
     * A JDBC connection (MariaDB Connector/J) to {@code source} as the configured user: the one place that builds
     * the URL and the driver properties. {@code driverProperties} adds or overrides properties (the snapshot
     * reader fixes the protocol it relies on, see {@code table.SourceConnection}).
     */
    public static Connection connect(SluiceConfig.Source source, Map<String, String> driverProperties)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", source.user());
        props.setProperty("password", source.password().reveal());
        props.setProperty("connectTimeout", "5000");
        // A silently dead link must fail a query instead of hanging the pipeline's startup forever.
        props.setProperty("socketTimeout", "30000");
        driverProperties.forEach(props::setProperty);
        return DriverManager.getConnection("jdbc:mariadb://" + source.host() + ":" + source.port() + "/", props);
    }

    private ServerInfo connectAndCheck() throws SQLException {
        try (Connection c = connectOrExplain()) {
            String version = scalar(c, "SELECT VERSION()");
            Flavor flavor = version.toLowerCase(Locale.ROOT).contains("mariadb") ? Flavor.MARIADB : Flavor.MYSQL;
            Map<String, String> vars = variables(c);
            checkSettings(flavor, vars);
            long serverId = Long.parseLong(vars.get("server_id"));
            checkServerId(serverId);
            checkGrants(c, flavor);
            return new ServerInfo(
                    flavor,
                    version,
                    serverId,
                    currentPosition(c, flavor),
                    earliestPosition(c, flavor),
                    CharsetMap.load(c));
        }
    }

    private Connection connectOrExplain() throws SQLException {
        try {
            return connect();
        } catch (SQLException e) {
            if (e.getErrorCode() == 1045) {
                throw new SluiceException(
                        ExitCode.SOURCE_NOT_READY,
                        "The source at " + source.address() + " refused user '" + source.user()
                                + "': access denied. Check source.user and source.password.");
            }
            throw e;
        }
    }

    private static Map<String, String> variables(Connection c) throws SQLException {
        Map<String, String> vars = new HashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SHOW GLOBAL VARIABLES WHERE "
                                + "Variable_name IN ('log_bin','binlog_format','binlog_row_image','binlog_row_metadata',"
                                + "'log_bin_compress','server_id','gtid_mode','binlog_row_value_options','binlog_transaction_compression')")) {
            while (rs.next()) {
                vars.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
        return vars;
    }

    private void checkSettings(Flavor flavor, Map<String, String> vars) {
        List<String> problems = settingProblems(flavor, vars);
        if (!problems.isEmpty()) {
            throw new SluiceException(
                    ExitCode.SOURCE_NOT_READY,
                    "The source at " + source.address() + " is not configured for CDC: " + String.join("; ", problems)
                            + ".");
        }
    }

    /** Each binlog setting that would make Sluice lose or misread data, with its fix; empty when all are right. */
    static List<String> settingProblems(Flavor flavor, Map<String, String> vars) {
        List<String> problems = new ArrayList<>();
        require(
                vars,
                "log_bin",
                "ON",
                problems,
                "enable the binary log: start the server with log_bin "
                        + "(e.g. log_bin=mysql-bin in my.cnf; needs a restart)");
        require(vars, "binlog_format", "ROW", problems, "SET GLOBAL binlog_format=ROW and set it in my.cnf");
        require(
                vars,
                "binlog_row_image",
                "FULL",
                problems,
                "SET GLOBAL binlog_row_image=FULL and set it in my.cnf "
                        + "(MINIMAL/NOBLOB images lack the before/after values Sluice publishes)");
        require(
                vars,
                "binlog_row_metadata",
                "FULL",
                problems,
                "SET GLOBAL binlog_row_metadata=FULL and set it in "
                        + "my.cnf (column names, signedness and charsets come from it)");
        if (flavor == Flavor.MARIADB) {
            require(
                    vars,
                    "log_bin_compress",
                    "OFF",
                    problems,
                    "SET GLOBAL log_bin_compress=OFF and set it in my.cnf "
                            + "(compressed row events cannot be decoded and would otherwise be lost)");
        } else {
            require(vars, "gtid_mode", "ON", problems, "enable GTIDs: gtid_mode=ON and enforce_gtid_consistency=ON");
            if (vars.getOrDefault("binlog_row_value_options", "")
                    .toUpperCase(Locale.ROOT)
                    .contains("PARTIAL_JSON")) {
                problems.add("binlog_row_value_options is PARTIAL_JSON, needs '': JSON updates would arrive as partial "
                        + "diffs without the full after value, which Sluice refuses to publish; "
                        + "SET GLOBAL binlog_row_value_options='' and set it in my.cnf");
            }
            require(
                    vars,
                    "binlog_transaction_compression",
                    "OFF",
                    problems,
                    "SET GLOBAL binlog_transaction_compression=OFF (compressed transactions are not decoded yet)");
        }
        return problems;
    }

    private static void require(
            Map<String, String> vars, String name, String expected, List<String> problems, String fix) {
        String actual = vars.get(name);
        if (actual != null && !actual.equalsIgnoreCase(expected)) {
            problems.add(name + " is " + actual + ", needs " + expected + ": " + fix);
        } else if (actual == null && (name.equals("log_bin") || name.equals("binlog_row_metadata"))) {
            problems.add(name + " is not supported by this server version, needs " + expected);
        }
    }

    private void checkServerId(long serverServerId) {
        if (serverServerId == source.serverId()) {
            throw new SluiceException(
                    ExitCode.SOURCE_NOT_READY,
                    "source.server-id is " + source.serverId()
                            + ", the same as the source server's own server_id: the server would reject the connection as a "
                            + "replication loop. Set source.server-id to a value no server or replica of this server uses.");
        }
    }

    private void checkGrants(Connection c, Flavor flavor) throws SQLException {
        String grants =
                String.join("\n", column(c, "SHOW GRANTS FOR CURRENT_USER()")).toUpperCase(Locale.ROOT);
        boolean all = grants.contains("GRANT ALL PRIVILEGES ON *.*");
        List<String> missing = new ArrayList<>();
        if (!all && !grants.contains("REPLICATION SLAVE") && !grants.contains("REPLICATION REPLICA")) {
            missing.add("REPLICATION SLAVE");
        }
        if (!all
                && !grants.contains("BINLOG MONITOR")
                && !grants.contains("REPLICATION CLIENT")
                && !grants.contains("SUPER")) {
            missing.add(flavor == Flavor.MARIADB ? "BINLOG MONITOR" : "REPLICATION CLIENT");
        }
        if (!all && !grants.matches("(?s).*GRANT [^\\n]*\\bSELECT\\b.*")) {
            missing.add("SELECT");
        }
        if (!missing.isEmpty()) {
            throw new SluiceException(
                    ExitCode.SOURCE_NOT_READY,
                    "User '" + source.user() + "' on " + source.address()
                            + " lacks " + String.join(", ", missing) + ". Run: GRANT " + String.join(", ", missing)
                            + " ON *.* TO '" + source.user()
                            + "'@'<host>'; (SELECT may be limited to the captured databases).");
        }
    }

    private static BinlogPosition currentPosition(Connection c, Flavor flavor) throws SQLException {
        String gtids = scalar(
                c, flavor == Flavor.MARIADB ? "SELECT @@GLOBAL.gtid_binlog_pos" : "SELECT @@GLOBAL.gtid_executed");
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            if (!rs.next()) {
                throw new SluiceException(
                        ExitCode.SOURCE_NOT_READY,
                        "SHOW MASTER STATUS returned nothing: the " + "binary log is not enabled on the source.");
            }
            return BinlogPosition.atBoundary(
                    GtidSet.parse(flavor, gtids == null ? "" : gtids), rs.getString(1), rs.getLong(2));
        }
    }

    private static BinlogPosition earliestPosition(Connection c, Flavor flavor) throws SQLException {
        String firstFile = column(c, "SHOW BINARY LOGS").get(0);
        String gtids = flavor == Flavor.MARIADB
                ? scalar(c, "SELECT BINLOG_GTID_POS('" + firstFile.replace("'", "''") + "', 4)")
                : scalar(c, "SELECT @@GLOBAL.gtid_purged");
        return BinlogPosition.atBoundary(GtidSet.parse(flavor, gtids == null ? "" : gtids), firstFile, 4);
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 1227) {
                throw new SluiceException(
                        ExitCode.SOURCE_NOT_READY,
                        "The source refused '" + sql + "': " + e.getMessage()
                                + ". Grant BINLOG MONITOR (MariaDB) or REPLICATION CLIENT (MySQL).");
            }
            throw e;
        }
        return out;
    }
}
