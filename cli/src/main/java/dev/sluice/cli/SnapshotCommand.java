package dev.sluice.cli;

import dev.sluice.config.ConfigReader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.TableFilter;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.kafka.SnapshotRequests;
import dev.sluice.kafka.TopicAdmin;
import dev.sluice.kafka.TopicNames;
import dev.sluice.source.ServerCheck;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice snapshot --config sluice.yaml --table db.t [--where ...]}: asks the pipeline named in the config to
 * copy one table again, while it runs. The request goes through Kafka, so this needs no access to the running
 * process; the pipeline takes it within a second (or when it next starts) and copies the table between its
 * stream's transactions, without a restart.
 */
@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description = {
            "Copy one table into its topic again (op r events) while the pipeline runs: no restart, no "
                    + "locks, resumable, throttled by the snapshot.* settings. The request is checked here (the table "
                    + "exists and is captured, the --where condition is valid SQL for it) and handed to the running "
                    + "pipeline through Kafka. Progress: the pipeline's log ('Snapshot of db.t: ...') and its "
                    + "sluice_snapshot_* metrics."
        })
final class SnapshotCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "The pipeline's YAML config file.")
    Path config;

    @Option(
            names = {"-t", "--table"},
            required = true,
            paramLabel = "DB.TABLE",
            description = "The table to copy, as database.table.")
    String table;

    @Option(
            names = {"-w", "--where"},
            paramLabel = "SQL",
            description = "Copy only rows matching this SQL condition, e.g. \"updated_at >= '2026-01-01'\". It runs "
                    + "with the pipeline's source.user, inside each chunk's query.")
    String where = "";

    @Override
    public Integer call() {
        SluiceConfig cfg = SluiceConfig.from(ConfigReader.read(config, ConfigReader.processEnv()));
        int dot = table.indexOf('.');
        if (dot <= 0 || dot == table.length() - 1) {
            throw new SluiceException(ExitCode.CONFIG, "--table '" + table + "' must be database.table");
        }
        String database = table.substring(0, dot);
        String name = table.substring(dot + 1);
        if (!new TableFilter(cfg.filter()).captures(database, name)) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    "Table " + table + " is not captured by this pipeline "
                            + "(filter.include " + cfg.filter().include() + ", filter.exclude "
                            + cfg.filter().exclude()
                            + "); add it to filter.include first.");
        }
        checkTableAndCondition(cfg.source(), database, name);
        TopicNames names = new TopicNames(cfg.kafka().topicPrefix());
        try (TopicAdmin topics = new TopicAdmin(cfg.kafka())) {
            topics.loadExisting();
            topics.ensureInternalTopics(names);
        } catch (Exception e) {
            throw new SluiceException(
                    ExitCode.UNREACHABLE,
                    "Cannot reach Kafka at " + cfg.kafka().bootstrapServers() + ": " + e.getMessage(),
                    e);
        }
        long offset = SnapshotRequests.send(
                cfg.kafka(),
                names,
                cfg.pipeline().name(),
                new SnapshotRequests.Request(database, name, where.strip(), System.currentTimeMillis()));
        System.out.printf(
                "Requested a copy of %s%s from pipeline '%s' (request %d in %s).%n"
                        + "The running pipeline starts it within a second, after any copy already running; if it is "
                        + "not running, when it starts. Progress: its log and the sluice_snapshot_* metrics.%n",
                table,
                where.isBlank() ? "" : " where " + where.strip(),
                cfg.pipeline().name(),
                offset,
                names.snapshotRequests());
        return 0;
    }

    /** Fails now, with the server's words, rather than in the pipeline later. */
    private void checkTableAndCondition(SluiceConfig.Source source, String database, String name) {
        try (Connection c = new ServerCheck(source).connect()) {
            try (PreparedStatement st = c.prepareStatement("SELECT TABLE_TYPE FROM information_schema.TABLES "
                    + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
                st.setString(1, database);
                st.setString(2, name);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new SluiceException(
                                ExitCode.CONFIG, "Table " + table + " does not exist on " + source.address() + ".");
                    }
                    if (!"BASE TABLE".equals(rs.getString(1))) {
                        throw new SluiceException(
                                ExitCode.CONFIG,
                                table + " is a " + rs.getString(1) + ", not a table; only tables are copied.");
                    }
                }
            }
            String quoted = "`" + database.replace("`", "``") + "`.`" + name.replace("`", "``") + "`";
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT 1 FROM " + quoted + (where.isBlank() ? "" : " WHERE (" + where + ")")
                                + " LIMIT 0")
                        .close();
            } catch (SQLException e) {
                throw new SluiceException(
                        ExitCode.CONFIG,
                        "The source refused to read " + table
                                + (where.isBlank() ? "" : " with --where \"" + where + "\"") + ": " + e.getMessage(),
                        e);
            }
        } catch (SQLException e) {
            throw new SluiceException(
                    ExitCode.UNREACHABLE, "Cannot reach the source at " + source.address() + ": " + e.getMessage(), e);
        }
    }
}
