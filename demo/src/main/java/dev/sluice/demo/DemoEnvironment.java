package dev.sluice.demo;

import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbBinaries;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The demo's servers in one work directory: an embedded MariaDB 11.4 configured for CDC and a local Kafka broker.
 * Ports are chosen on the first run and kept in {@code ports.properties}, because the broker's formatted metadata
 * records its controller address and a second run must find both servers where the stored position expects them.
 */
public final class DemoEnvironment implements AutoCloseable {
    public static final String USER = "sluice";
    public static final String PASSWORD = "sluice-demo";

    private final MariaDbServer mariadb;
    private final KafkaBroker kafka;

    private DemoEnvironment(MariaDbServer mariadb, KafkaBroker kafka) {
        this.mariadb = mariadb;
        this.kafka = kafka;
    }

    public static DemoEnvironment start(Path workDir) {
        Properties ports = loadOrChoosePorts(workDir.resolve("ports.properties"));
        MariaDbServer mariadb = MariaDbServer.start(
                MariaDbBinaries.embedded(MariaDbBinaries.defaultCacheRoot()),
                workDir.resolve("mariadb"),
                port(ports, "mariadb"),
                MariaDbServer.Options.defaults());
        try {
            KafkaBroker kafka = KafkaBroker.start(
                    workDir.resolve("kafka"), port(ports, "kafka"), port(ports, "kafka.controller"), 256);
            return new DemoEnvironment(mariadb, kafka);
        } catch (RuntimeException e) {
            mariadb.stop();
            throw e;
        }
    }

    /** A least-privilege CDC user (the grants Sluice documents) and the shop schema. */
    public void prepareSource() throws SQLException {
        try (Connection c = mariadb.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE USER IF NOT EXISTS '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'");
            st.execute("GRANT REPLICATION SLAVE, BINLOG MONITOR, SELECT ON *.* TO '" + USER + "'@'127.0.0.1'");
            ShopWorkload.createSchema(c);
        }
    }

    public MariaDbServer mariadb() {
        return mariadb;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    @Override
    public void close() {
        kafka.stop();
        mariadb.stop();
    }

    private static Properties loadOrChoosePorts(Path file) {
        Properties ports = new Properties();
        try {
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file)) {
                    ports.load(in);
                }
                return ports;
            }
            ports.setProperty("mariadb", Integer.toString(Ports.free()));
            ports.setProperty("kafka", Integer.toString(Ports.free()));
            ports.setProperty("kafka.controller", Integer.toString(Ports.free()));
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file)) {
                ports.store(out, "Ports of the Sluice demo servers; delete the work directory to start over");
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + file, e);
        }
    }

    private static int port(Properties ports, String name) {
        return Integer.parseInt(ports.getProperty(name));
    }
}
