package dev.sluice.peer.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loader peer of {@code sluice bench load}, run as its own JVM: a Kafka Connect standalone worker (the code path of
 * {@code connect-standalone.sh}: {@link ConnectStandalone}) running Debezium's JDBC sink connector, which is on the
 * worker's class path. It consumes Debezium's own change topics (JSON with schemas, as {@code peer/debezium} writes
 * them when its converters have {@code schemas.enable=true}) into PostgreSQL.
 *
 * <pre>
 * java -cp sluice-peer-debezium-jdbc.jar:$(cat classpath.txt) dev.sluice.peer.jdbc.SinkDrain \
 *     --dir RUN_DIR --name NAME --bootstrap-servers HOST:PORT --topics-regex 'dbz-w1-r2\.bench\..*' \
 *     --jdbc-url jdbc:postgresql://127.0.0.1:5432/DB --jdbc-user postgres --schema TARGET_SCHEMA \
 *     --batch-size 1000 --expected RECORDS
 * </pre>
 *
 * It writes {@code RUN_DIR/worker.properties} and {@code RUN_DIR/connector.properties} (see {@link SinkSettings}),
 * creates the target schema if it is missing, starts the worker and prints, each on its own line:
 * <ul>
 *   <li>{@code PEER-RUNNING <epoch ms>} when the connector's task is running;
 *   <li>{@code PEER-APPLIED <epoch ms> <records>} when the connector's consumer group ({@code connect-NAME}) has
 *       committed offsets summing to at least {@code RECORDS} (see {@link AppliedWatch} for why that means applied);
 *   <li>{@code PEER-FAILED <epoch ms> <reason>} if the task fails (the worker keeps running, as Connect does) or the
 *       worker cannot start (the JVM then exits 3);
 *   <li>{@code PEER-STOPPED <json>} after SIGTERM, once the worker has stopped.
 * </ul>
 */
public final class SinkDrain {
    private static final Logger log = LoggerFactory.getLogger(SinkDrain.class);

    private SinkDrain() {
    }

    public static void main(String[] args) throws Exception {
        SinkSettings settings;
        try {
            settings = SinkSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(SinkSettings.USAGE);
            System.exit(2);
            return;
        }
        try {
            run(settings);
        } catch (Throwable t) {
            // As ConnectStandalone.run() does on a start-up error: log, and exit (3) rather than leave the JVM
            // waiting on the worker's non-daemon threads.
            log.error("Stopping: the worker did not start", t);
            System.out.println("PEER-FAILED " + System.currentTimeMillis() + " the worker did not start: " + t);
            System.out.flush();
            Exit.exit(3);
        }
    }

    private static void run(SinkSettings settings) throws Exception {
        Files.createDirectories(settings.dir());
        Path worker = write(settings.dir().resolve("worker.properties"), settings.workerConfig());
        Path connector = write(settings.dir().resolve("connector.properties"), settings.connectorConfig());
        ensureSchema(settings);

        // Connect registers its own shutdown hook (Connect.stop()); take it over so that one hook stops the worker
        // and only then reads the final offsets and prints the summary. The worker is stopped the same way.
        List<Runnable> connectHooks = new ArrayList<>();
        Exit.setShutdownHookAdder((name, hook) -> {
            synchronized (connectHooks) {
                connectHooks.add(hook);
            }
        });
        AppliedWatch watch = new AppliedWatch(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watch.stop();
            Map<String, Object> metrics = watch.taskMetrics();
            List<Runnable> hooks;
            synchronized (connectHooks) {
                hooks = List.copyOf(connectHooks);
            }
            hooks.forEach(Runnable::run);
            System.out.println("PEER-STOPPED " + watch.summary(metrics));
            System.out.flush();
            watch.close();
        }, "peer-shutdown"));

        log.info("Starting a Kafka Connect standalone worker ({}) with the connector {} ({}); waiting for {} records "
                + "of {} to be applied", worker, settings.name(), connector, settings.expected(), settings.topicsDescription());
        // What ConnectStandalone.main(worker, connector) does, without reading the worker file back: start the worker,
        // then create the connector from its file.
        ConnectStandalone cli = new ConnectStandalone(worker.toString(), connector.toString());
        Connect<StandaloneHerder> connect = cli.startConnect(settings.workerConfig());
        cli.processExtraArgs(connect, new String[] {connector.toString()});
        watch.run();
        connect.awaitStop();
    }

    /** The sink creates tables, not schemas: create the target schema (PostgreSQL only) if it is not there. */
    private static void ensureSchema(SinkSettings settings) throws SQLException {
        if (!settings.jdbcUrl().startsWith("jdbc:postgresql:")) {
            return;
        }
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword());
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS \"" + settings.schema().replace("\"", "\"\"") + "\"");
        }
    }

    static Path write(Path file, Map<String, String> config) {
        Properties p = new Properties();
        p.putAll(new LinkedHashMap<>(config));
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "Written by dev.sluice.peer.jdbc.SinkDrain");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
