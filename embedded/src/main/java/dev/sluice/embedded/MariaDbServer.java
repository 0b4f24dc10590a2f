package dev.sluice.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private mariadbd on its own port and data directory, configured for CDC the way RELIABILITY.md requires:
 * binlog on, ROW format, FULL row image and row metadata, strict GTIDs, sync_binlog=1. Root has an empty password
 * and the server listens on loopback only.
 */
public final class MariaDbServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MariaDbServer.class);

    private final MariaDbBinaries binaries;
    private final Path dataDir;
    private final int port;
    private final ChildProcess process;

    /** How to start the server. {@code logBin=false} gives a server Sluice must refuse. */
    public record Options(long serverId, boolean logBin, String timeZone, List<String> extraArgs) {
        public static Options defaults() {
            return new Options(1, true, null, List.of());
        }

        public Options withTimeZone(String zone) {
            return new Options(serverId, logBin, zone, extraArgs);
        }

        public Options withServerId(long id) {
            return new Options(id, logBin, timeZone, extraArgs);
        }

        public Options withoutBinlog() {
            return new Options(serverId, false, timeZone, extraArgs);
        }

        public Options withExtraArgs(List<String> args) {
            return new Options(serverId, logBin, timeZone, List.copyOf(args));
        }
    }

    private MariaDbServer(MariaDbBinaries binaries, Path dataDir, int port, ChildProcess process) {
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
    }

    /** Starts a server on {@code dataDir}, initializing it first if it is new; returns once it accepts SQL. */
    public static MariaDbServer start(MariaDbBinaries binaries, Path dataDir, int port, Options options) {
        Path dir = dataDir.toAbsolutePath();
        if (!Files.exists(dir.resolve("mysql"))) {
            initialize(binaries, dir);
        }
        long started = System.nanoTime();
        ChildProcess process = ChildProcess.start(
                command(binaries, dir, port, options), dir.resolve("mariadbd.out"), "mariadbd " + binaries.version());
        MariaDbServer server = new MariaDbServer(binaries, dir, port, process);
        server.awaitReady();
        log.info(
                "MariaDB {} ready on 127.0.0.1:{} in {} ms (data in {})",
                binaries.version(),
                port,
                (System.nanoTime() - started) / 1_000_000,
                dir);
        return server;
    }

    private static void initialize(MariaDbBinaries binaries, Path dir) {
        List<String> cmd = new ArrayList<>(List.of(
                binaries.installDb().toString(),
                "--no-defaults",
                "--datadir=" + dir,
                "--auth-root-authentication-method=normal",
                "--skip-test-db"));
        if (binaries.isEmbedded()) {
            cmd.add("--basedir=" + binaries.baseDir());
        }
        cmd.add("--user=" + System.getProperty("user.name"));
        ChildProcess.runToCompletion(cmd, dir.resolveSibling(dir.getFileName() + "-install.log"), "mariadb-install-db");
    }

    private static List<String> command(MariaDbBinaries binaries, Path dir, int port, Options options) {
        List<String> cmd = new ArrayList<>(List.of(
                binaries.mariadbd().toString(),
                "--no-defaults",
                "--datadir=" + dir,
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"),
                "--log-error=" + dir.resolve("mariadbd.err"),
                "--user=" + System.getProperty("user.name"),
                "--server-id=" + options.serverId(),
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=64M",
                "--character-set-server=utf8mb4"));
        if (binaries.isEmbedded()) {
            cmd.add("--basedir=" + binaries.baseDir());
            cmd.add("--lc-messages-dir=" + binaries.baseDir().resolve("share"));
        }
        if (options.logBin()) {
            cmd.addAll(List.of(
                    "--log-bin=" + dir.resolve("mysql-bin"),
                    "--binlog-format=ROW",
                    "--binlog-row-image=FULL",
                    "--binlog-row-metadata=FULL",
                    "--gtid-strict-mode=1",
                    "--sync-binlog=1"));
        }
        if (options.timeZone() != null) {
            cmd.add("--default-time-zone=" + options.timeZone());
        }
        cmd.addAll(options.extraArgs());
        return cmd;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "mariadbd exited during startup:\n" + ChildProcess.tail(dataDir.resolve("mariadbd.err")));
            }
            try (Connection c = connect()) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            ChildProcess.pause(50, "mariadbd");
        }
        process.kill();
        throw new IllegalStateException("mariadbd did not accept connections within 60 s: " + last + "\n"
                + ChildProcess.tail(dataDir.resolve("mariadbd.err")));
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public MariaDbBinaries binaries() {
        return binaries;
    }

    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    /** A connection as root. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("") + "?connectTimeout=2000", "root", "");
    }

    public String version() throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Clean shutdown (SIGTERM), then SIGKILL after 30 s. */
    public void stop() {
        process.stop();
    }

    /** kill -9. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return binaries.version();
    }
}
