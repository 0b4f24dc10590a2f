package dev.sluice.load.duckdb;

import dev.sluice.config.LoadConfig;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * The DuckDB file of {@code target.url} ({@code jdbc:duckdb:/path/file.duckdb}), opened once per loader process.
 * DuckDB lets one process write a file: a second process (another loader, the duckdb CLI) gets "Could not set lock
 * on file", which is refused here by name with the PID DuckDB reports. The JDBC driver unpacks its native library
 * into {@code java.io.tmpdir} when it is first loaded; a temp directory that is missing, full or mounted noexec fails
 * there, and is refused naming that setting.
 */
final class DuckDbFile {
    private static final String PREFIX = "jdbc:duckdb:";
    private static final Pattern HOLDER = Pattern.compile("\\(PID (\\d+)\\)");

    private DuckDbFile() {}

    /** The file's path; an in-memory database would lose every load, so it is refused. */
    static Path path(LoadConfig config) {
        String url = config.target().url();
        String rest = url.startsWith(PREFIX) ? url.substring(PREFIX.length()) : "";
        int query = rest.indexOf('?');
        String file = query < 0 ? rest : rest.substring(0, query);
        if (file.isEmpty() || file.equals(":memory:") || file.startsWith(":memory:")) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    "target.url '" + url + "' names no DuckDB file: with target.type duckdb it must be "
                            + "jdbc:duckdb:/path/to/file.duckdb (an in-memory database would lose what is loaded).");
        }
        return Path.of(file).toAbsolutePath();
    }

    /** Opens the file for writing (creating it), or for reading only (the dry run, on a file that exists). */
    static DuckDBConnection open(LoadConfig config, boolean readOnly) {
        Path file = path(config);
        Properties props = new Properties();
        if (readOnly) {
            props.setProperty("duckdb.read_only", "true");
        }
        try {
            DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection(PREFIX + file, props);
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            throw refused(file, e);
        } catch (LinkageError e) {
            // The first connection initializes the driver's native part (ExceptionInInitializerError); every later
            // one finds it failed (NoClassDefFoundError).
            throw nativeLibraryFailed(e);
        }
    }

    static boolean exists(LoadConfig config) {
        return Files.exists(path(config));
    }

    /** The native library could not be unpacked or loaded: name the setting that moves where it is unpacked. */
    static SluiceException nativeLibraryFailed(LinkageError e) {
        return new SluiceException(
                ExitCode.CONFIG,
                "Cannot load DuckDB's native library: its JDBC driver unpacks it into java.io.tmpdir ("
                        + System.getProperty("java.io.tmpdir") + "), which must exist, be writable and not be mounted "
                        + "noexec. Point it at such a directory with the JVM option -Djava.io.tmpdir=/path (bin/sluice: SLUICE_JAVA_OPTS, or JAVA_TOOL_OPTIONS) ("
                        + rootMessage(e) + ")",
                e);
    }

    private static SluiceException refused(Path file, SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Could not set lock")) {
            Matcher holder = HOLDER.matcher(message);
            String who = holder.find() ? "process " + holder.group(1) : "another process";
            return new SluiceException(
                    ExitCode.CONFIG,
                    "The DuckDB file " + file + " is held by " + who + " (DuckDB lets one process open a file "
                            + "for writing). Stop that process (another sluice load, or a duckdb shell) or give this "
                            + "loader its own target.url; to load faster, raise load.workers in the one loader. "
                            + "Nothing was written.",
                    e);
        }
        return new SluiceException(
                ExitCode.CONFIG,
                "Cannot open the DuckDB file " + file + " (target.url): " + message
                        + ". Check that its directory exists and is writable by this user.",
                e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }
}
