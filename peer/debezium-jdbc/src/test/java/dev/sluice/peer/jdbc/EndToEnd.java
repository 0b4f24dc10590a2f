package dev.sluice.peer.jdbc;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * End-to-end check of the peer on one machine, outside Sluice's build: a private MariaDB (the system's mariadbd, binlog
 * on), a KRaft broker (kafka_2.13 jars of this project's test class path), Debezium's MariaDB source
 * ({@code peer/debezium}'s PeerDrain, JSON schemas on) writing change topics, then {@link SinkDrain} loading them into
 * a new PostgreSQL database on 127.0.0.1:5432, which is compared with MariaDB row by row and dropped.
 *
 * <pre>
 * peer/debezium-jdbc/e2e.sh [--rows 2000] [--updates 600] [--deletes 200] [--pk-changes 50] [--batch-size 500]
 *                           [--types [--hostile]] [--keep] [--sink-heap 1g] [--set CONNECTOR_KEY=VALUE]...
 *                           [--variant 'batch-size=N,CONNECTOR_KEY=VALUE,...']... [--rounds 1]
 * </pre>
 *
 * The source writes its whole workload first and drains it into Kafka; then the sink runs alone on the full topics,
 * so its rate is that of loading a backlog. With {@code --variant}s, each loads the same topics into its own schema, in
 * turn, {@code --rounds} times. Exits 0 if every run's PostgreSQL table equals the MariaDB table.
 */
public final class EndToEnd {
    private static final String PREFIX = "dbz-e2e";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final Map<String, String> opts;
    private final List<String> sinkSets;
    private final Path work;
    private final Path project;
    private final List<ChildJvm> children = new ArrayList<>();
    private long inserts;
    private long updates;
    private long deletes;
    private long pkChanges;

    private EndToEnd(Map<String, String> opts, List<String> sinkSets) throws IOException {
        this.opts = opts;
        this.sinkSets = sinkSets;
        this.project = Path.of(opts.getOrDefault("project", ".")).toAbsolutePath().normalize();
        this.work = Path.of(opts.getOrDefault("work",
                Files.createTempDirectory("peer-jdbc-e2e-").toString())).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--keep") || a.equals("--types") || a.equals("--hostile")) {
                opts.put(a.substring(2), "true");
            } else if (a.equals("--set")) {
                sets.add(args[++i]);
            } else if (a.equals("--variant")) {
                opts.merge("variant", args[++i], (x, y) -> x + "|" + y);
            } else if (a.startsWith("--") && i + 1 < args.length) {
                opts.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("Unknown argument " + a);
            }
        }
        int exit;
        EndToEnd e2e = new EndToEnd(opts, sets);
        try {
            exit = e2e.run();
        } finally {
            e2e.stopAll();
        }
        System.exit(exit);
    }

    private int num(String key, int dflt) {
        return Integer.parseInt(opts.getOrDefault(key, Integer.toString(dflt)));
    }

    private int run() throws Exception {
        System.out.println("Work directory " + work + "; load average at start: " + loadAverage());
        int rows = num("rows", 2000);
        int batchSize = num("batch-size", 500);
        boolean types = opts.containsKey("types");

        // 1. MariaDB and the workload, written before any reader runs (a backlog in the binlog).
        int dbPort = freePort();
        startMariaDb(work.resolve("mariadb"), dbPort);
        String mariaUrl = "jdbc:mariadb://127.0.0.1:" + dbPort + "/?user=root&allowMultiQueries=true&yearIsDateType=false";
        long t0 = System.nanoTime();
        List<String> tables = new ArrayList<>(List.of("items"));
        try (Connection c = DriverManager.getConnection(mariaUrl)) {
            workload(c, rows, num("updates", rows * 3 / 10), num("deletes", rows / 10), num("pk-changes", rows / 40));
            if (types) {
                tables.addAll(typesProbe(c));
            }
        }
        long sourceEvents = inserts + updates + deletes + pkChanges;
        System.out.printf(Locale.ROOT, "MariaDB: %,d inserts, %,d updates, %,d deletes, %,d primary-key changes "
                + "written in %.1f s%n", inserts, updates, deletes, pkChanges, (System.nanoTime() - t0) / 1e9);

        // 2. The broker.
        int kafkaPort = freePort();
        String bootstrap = startBroker(work.resolve("kafka"), kafkaPort, freePort());

        // 3. Debezium's source drains the binlog into JSON-with-schema topics.
        // Per row event one record; a delete adds a tombstone; a primary-key change is a delete, its tombstone and
        // a create.
        long expected = inserts + updates + 2 * deletes + 3 * pkChanges + (types ? typesRecords : 0);
        runSource(dbPort, bootstrap, expected);
        Map<String, Long> topicEnds = endOffsets(bootstrap);
        long topicRecords = topicEnds.values().stream().mapToLong(Long::longValue).sum();
        System.out.println("Change topics: " + topicEnds);
        if (topicRecords != expected) {
            System.out.println("FAIL: the table topics hold " + topicRecords + " records, expected " + expected);
            return 1;
        }

        // 4. PostgreSQL: a new database for this run, dropped at the end.
        String pgDb = "peer_jdbc_e2e_" + ProcessHandle.current().pid();
        String pgAdmin = "jdbc:postgresql://127.0.0.1:5432/postgres";
        try (Connection c = DriverManager.getConnection(pgAdmin, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + pgDb);
            s.execute("CREATE DATABASE " + pgDb);
        }
        String pgUrl = "jdbc:postgresql://127.0.0.1:5432/" + pgDb;
        // Each variant (--variant 'batch-size=N,connector.key=value,...') loads the same topics into its own schema
        // with its own connector name (so its own consumer group); rounds alternate them: A B A B ...
        List<String> variants = List.of(opts.getOrDefault("variant", "").split("\\|"));
        int rounds = num("rounds", 1);
        int result = 0;
        List<String> results = new ArrayList<>();
        try {
            int run = 0;
            for (int round = 1; round <= rounds; round++) {
                for (String variant : variants) {
                    run++;
                    String line;
                    try {
                        line = runSinkAndCompare(run, variant, bootstrap, pgUrl, topicRecords, batchSize, mariaUrl,
                                tables, sourceEvents);
                    } catch (IllegalStateException e) {
                        System.out.println(e.getMessage());
                        line = "FAIL: " + e.getMessage().lines().findFirst().orElse("") + " "
                                + e.getMessage().lines().filter(l -> l.startsWith("Caused by:"))
                                        .reduce((a, b) -> b).orElse("");
                    }
                    result |= line.startsWith("PASS") ? 0 : 1;
                    results.add("round " + round + " [" + (variant.isEmpty() ? "defaults" : variant) + "] " + line);
                }
            }
            System.out.println("Runs:");
            results.forEach(r -> System.out.println("  " + r));
        } finally {
            if (!opts.containsKey("keep")) {
                try (Connection c = DriverManager.getConnection(pgAdmin, "postgres", "");
                     Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + pgDb + " WITH (FORCE)");
                }
            } else {
                System.out.println("Kept the PostgreSQL database " + pgDb);
            }
        }
        System.out.println("Load average at end: " + loadAverage());
        return result;
    }

    // ---------------------------------------------------------------- the workload

    private void workload(Connection c, int rows, int updateCount, int deleteCount, int pkChangeCount)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE bench");
            s.execute("CREATE TABLE bench.items (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, "
                    + "qty INT NOT NULL, price DECIMAL(10,2) NOT NULL, updated DATETIME(6) NOT NULL, note TEXT NULL) "
                    + "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        }
        Random random = new Random(42);
        LocalDateTime base = LocalDateTime.of(2026, 12, 5, 8, 30, 0);
        c.setAutoCommit(false);
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO bench.items (id, name, qty, price, updated, note) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int id = 1; id <= rows; id++) {
                ins.setLong(1, id);
                ins.setString(2, (id % 7 == 0 ? "ünïcødé-🦆-" : "item-") + id);
                ins.setInt(3, random.nextInt(1000));
                ins.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(10_000_000), 2));
                ins.setTimestamp(5, Timestamp.valueOf(base.plusNanos(id * 1_001_000L)));
                ins.setString(6, id % 5 == 0 ? null : "note " + Long.toHexString(random.nextLong()));
                ins.addBatch();
                inserts++;
                if (id % 1000 == 0 || id == rows) {
                    ins.executeBatch();
                    c.commit();
                }
            }
        }
        // Mixed changes in transactions of up to 50 statements: updates (some rows several times), deletes, keys
        // changed, and deleted keys inserted again, so that the sink sees every kind of event interleaved.
        List<Long> live = new ArrayList<>();
        for (long id = 1; id <= rows; id++) {
            live.add(id);
        }
        Set<Long> deleted = new HashSet<>();
        int u = 0;
        int d = 0;
        int k = 0;
        int inTxn = 0;
        try (PreparedStatement upd = c.prepareStatement(
                     "UPDATE bench.items SET qty = qty + 1, price = ?, updated = ?, note = ? WHERE id = ?");
             PreparedStatement del = c.prepareStatement("DELETE FROM bench.items WHERE id = ?");
             PreparedStatement key = c.prepareStatement("UPDATE bench.items SET id = ? WHERE id = ?");
             PreparedStatement reins = c.prepareStatement(
                     "INSERT INTO bench.items (id, name, qty, price, updated, note) VALUES (?, ?, 0, 0.01, ?, NULL)")) {
            long newKey = 10_000_000;
            while (u < updateCount || d < deleteCount || k < pkChangeCount) {
                int pick = random.nextInt(10);
                if (pick < 6 && u < updateCount) {
                    long id = live.get(random.nextInt(live.size()));
                    upd.setBigDecimal(1, BigDecimal.valueOf(random.nextInt(10_000_000), 2));
                    upd.setTimestamp(2, Timestamp.valueOf(base.plusSeconds(3600).plusNanos(u * 7_000L)));
                    upd.setString(3, u % 9 == 0 ? null : "updated " + u);
                    upd.setLong(4, id);
                    updates += upd.executeUpdate();
                    u++;
                } else if (pick < 9 && d < deleteCount) {
                    long id = live.remove(random.nextInt(live.size()));
                    del.setLong(1, id);
                    deletes += del.executeUpdate();
                    deleted.add(id);
                    d++;
                    if (d % 4 == 0) {
                        // the same key again, after its delete
                        reins.setLong(1, id);
                        reins.setString(2, "again-" + id);
                        reins.setTimestamp(3, Timestamp.valueOf(base.plusDays(1)));
                        inserts += reins.executeUpdate();
                        live.add(id);
                        deleted.remove(id);
                    }
                } else if (k < pkChangeCount) {
                    int at = random.nextInt(live.size());
                    long id = live.get(at);
                    key.setLong(1, ++newKey);
                    key.setLong(2, id);
                    pkChanges += key.executeUpdate();
                    live.set(at, newKey);
                    k++;
                } else {
                    continue;
                }
                if (++inTxn == 50) {
                    c.commit();
                    inTxn = 0;
                }
            }
            c.commit();
        }
        c.setAutoCommit(true);
    }

    private long typesRecords;

    /**
     * A few rows of the wide typed row of the benchmark's W3 and of other MariaDB types, to see what the sink makes
     * of them; their differences are reported, not failed on.
     */
    private List<String> typesProbe(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench.wide (id BIGINT NOT NULL PRIMARY KEY, small TINYINT NOT NULL, "
                    + "qty SMALLINT UNSIGNED NOT NULL, customer INT NOT NULL, big BIGINT UNSIGNED NOT NULL, "
                    + "amount DECIMAL(12,2) NOT NULL, rate DECIMAL(20,10) NULL, created DATETIME(6) NOT NULL, "
                    + "shipped DATETIME(6) NULL, doc JSON NOT NULL, name VARCHAR(64) NOT NULL, note TEXT NULL, "
                    + "status ENUM('new','paid','shipped','cancelled','retourné') NOT NULL, flags BIT(8) NOT NULL, "
                    + "active BIT(1) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            s.execute("INSERT INTO bench.wide VALUES "
                    + "(1, -128, 65535, -2147483648, 18446744073709551615, -9999999999.99, 1234567890.0123456789, "
                    + "'2026-12-05 08:30:00.123456', NULL, '{\"a\": [1, 2.5, \"ü\"], \"b\": null}', 'ünï 🦆', NULL, "
                    + "'retourné', b'10100101', b'1'),"
                    + "(2, 127, 0, 2147483647, 9223372036854775808, 0.00, NULL, '1970-01-01 00:00:00.000001', "
                    + "'9999-12-31 23:59:59.999999', '[]', '', 'x', 'new', b'00000000', b'0'),"
                    + "(3, 0, 1, 0, 0, 0.01, -0.0000000001, '2000-02-29 12:00:00', '2026-01-01 00:00:00', '{}', "
                    + "'plain', 'y', 'paid', b'11111111', b'1')");
            s.execute("CREATE TABLE bench.other (id INT NOT NULL PRIMARY KEY, d DATE NULL, t TIME(6) NULL, "
                    + "y YEAR NULL, ts TIMESTAMP(6) NULL, f FLOAT NULL, g DOUBLE NULL, bin VARBINARY(16) NULL, "
                    + "blb BLOB NULL, st SET('a','b','c') NULL, ch CHAR(3) NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            s.execute("INSERT INTO bench.other VALUES "
                    + "(1, '2026-12-05', '12:34:56.789012', 2026, '2026-12-05 08:30:00.5', 1.5, 3.141592653589793, "
                    + "x'00ff10', x'deadbeef', 'a,c', 'ab'),"
                    + "(2, '1000-01-01', '00:00:00', 1901, '1970-01-01 00:00:01', -0.1, 1e300, x'', x'', '', ''),"
                    + "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
        }
        typesRecords = 6;
        if (opts.containsKey("hostile")) {
            // Values the probe expects the sink to refuse: BIT(8) with its high bit set, TIME beyond a day
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO bench.wide VALUES (4, 1, 1, 1, 1, 1, 1, '2026-01-01', NULL, '{}', 'h', NULL, "
                        + "'new', b'10000000', b'0')");
                s.execute("INSERT INTO bench.other (id, t) VALUES (4, '838:59:59'), (5, '-00:00:01')");
            }
            typesRecords += 3;
        }
        return List.of("wide", "other");
    }

    // ---------------------------------------------------------------- servers and peers

    private void startMariaDb(Path dir, int port) throws Exception {
        // Its own temporary directory: /tmp is shared with the other engineers' servers.
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String user = System.getProperty("user.name");
        ChildJvm.run("mariadb-install-db", dir.resolve("install.log"), List.of("mariadb-install-db", "--no-defaults",
                "--user=" + user, "--datadir=" + dir.resolve("data"), "--tmpdir=" + tmp,
                "--auth-root-authentication-method=normal", "--skip-test-db"), 120);
        ChildJvm db = ChildJvm.start("mariadbd", dir.resolve("mariadbd.out"), List.of("/usr/sbin/mariadbd",
                "--no-defaults", "--user=" + user, "--datadir=" + dir.resolve("data"), "--port=" + port,
                "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mysqld.sock"), "--tmpdir=" + tmp, "--server-id=1",
                "--log-bin=" + dir.resolve("data/mysql-bin"), "--binlog-format=ROW", "--binlog-row-image=FULL",
                "--binlog-row-metadata=FULL", "--skip-name-resolve", "--innodb-buffer-pool-size=128M",
                "--character-set-server=utf8mb4", "--default-time-zone=+00:00", "--log-error=" + dir.resolve("err.log")));
        children.add(db);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?user=root")) {
                System.out.println("MariaDB " + c.getMetaData().getDatabaseProductVersion() + " on port " + port);
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline || !db.isAlive()) {
                    throw new IllegalStateException("mariadbd did not start: " + e + "\n"
                            + Files.readString(dir.resolve("err.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    private String startBroker(Path dir, int port, int controllerPort) throws Exception {
        Files.createDirectories(dir);
        String config = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "num.partitions=1",
                "");
        Path props = Files.writeString(dir.resolve("server.properties"), config);
        Path logback = Files.writeString(dir.resolve("logback-broker.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="kafka" level="INFO"/>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        String cp = testClasspath();
        List<String> jvm = List.of("-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-Dlogback.configurationFile=" + logback);
        List<String> format = new ArrayList<>();
        format.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        format.addAll(jvm);
        format.addAll(List.of("-cp", cp, "kafka.tools.StorageTool", "format", "-t",
                org.apache.kafka.common.Uuid.randomUuid().toString(), "-c", props.toString(), "--standalone"));
        ChildJvm.run("kafka-storage format", dir.resolve("format.log"), format, 120);
        ChildJvm broker = ChildJvm.java("broker", dir.resolve("broker.log"), jvm, cp, "kafka.Kafka",
                List.of(props.toString()));
        children.add(broker);
        String bootstrap = "127.0.0.1:" + port;
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    System.out.println("Kafka broker (4.1.1) on " + bootstrap);
                    return bootstrap;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline || !broker.isAlive()) {
                        throw new IllegalStateException("The broker did not start:\n" + broker.tail(30));
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    private void runSource(int dbPort, String bootstrap, long expected) throws Exception {
        Path peerDir = Path.of(opts.getOrDefault("source-peer", project.resolve("../debezium").toString()))
                .toAbsolutePath().normalize();
        Path jar = peerDir.resolve("target/sluice-peer-debezium.jar");
        Path deps = peerDir.resolve("target/classpath.txt");
        if (!Files.exists(jar) || !Files.exists(deps)) {
            throw new IllegalStateException("Build the source peer first: mvn -B -q -f " + peerDir.resolve("pom.xml")
                    + " -DskipTests package");
        }
        Path dir = work.resolve("source");
        Files.createDirectories(dir.resolve("state"));
        // The settings of `sluice bench peer` (bench's DebeziumPeer.engineConfig), with the JSON schemas on.
        Map<String, String> engine = new LinkedHashMap<>();
        engine.put("name", "dbz-e2e-source");
        engine.put("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        engine.put("database.hostname", "127.0.0.1");
        engine.put("database.port", Integer.toString(dbPort));
        engine.put("database.user", "root");
        engine.put("database.password", "");
        engine.put("database.server.id", "5401");
        engine.put("database.ssl.mode", "disable");
        engine.put("topic.prefix", PREFIX);
        engine.put("database.include.list", "bench");
        engine.put("snapshot.mode", "never");
        engine.put("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        engine.put("schema.history.internal.file.filename", dir.resolve("state/schema-history.dat").toString());
        engine.put("schema.history.internal.store.only.captured.tables.ddl", "true");
        engine.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        engine.put("offset.storage.file.filename", dir.resolve("state/offsets.dat").toString());
        engine.put("offset.flush.interval.ms", "60000");
        engine.put("converter.schemas.enable", "true");
        engine.put("key.converter.schemas.enable", "true");
        engine.put("value.converter.schemas.enable", "true");
        Map<String, String> producer = new LinkedHashMap<>();
        producer.put("bootstrap.servers", bootstrap);
        producer.put("acks", "all");
        producer.put("enable.idempotence", "true");
        producer.put("linger.ms", "5");
        producer.put("batch.size", "262144");
        producer.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        producer.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        Path enginePath = SinkDrain.write(dir.resolve("engine.properties"), engine);
        Path producerPath = SinkDrain.write(dir.resolve("producer.properties"), producer);
        String cp = jar + ":" + Files.readString(deps).trim();
        long started = System.nanoTime();
        ChildJvm source = ChildJvm.java("Debezium source (PeerDrain)", dir.resolve("peer.log"),
                List.of("-Xmx1g"), cp, "dev.sluice.peer.debezium.PeerDrain",
                List.of(enginePath.toString(), producerPath.toString(), PREFIX + ".", Long.toString(expected)));
        children.add(source);
        source.await("PEER-DRAINED ", null, 120 + expected / 2_000);
        System.out.printf(Locale.ROOT, "Debezium source: %,d records in the topics after %.1f s (JSON with schemas)%n",
                expected, (System.nanoTime() - started) / 1e9);
        source.stop();
        children.remove(source);
        System.out.println("Debezium source stopped: " + source.line("PEER-STOPPED ").orElse("(no summary)"));
    }

    private static Map<String, Long> endOffsets(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(PREFIX + ".bench."))
                    .collect(Collectors.toCollection(TreeSet::new));
            Map<TopicPartition, OffsetSpec> specs = topics.stream()
                    .collect(Collectors.toMap(t -> new TopicPartition(t, 0), t -> OffsetSpec.latest()));
            Map<String, Long> ends = new java.util.TreeMap<>();
            admin.listOffsets(specs).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, r) -> ends.merge(tp.topic(), r.offset(), Long::sum));
            return ends;
        }
    }

    /** One sink run into schema target_RUN; returns a one-line result starting with PASS or FAIL. */
    private String runSinkAndCompare(int run, String variant, String bootstrap, String pgUrl, long records,
                                     int defaultBatchSize, String mariaUrl, List<String> tables, long sourceEvents)
            throws Exception {
        String schema = "target_" + run;
        int batchSize = defaultBatchSize;
        List<String> sets = new ArrayList<>(sinkSets);
        for (String kv : variant.split(",")) {
            if (kv.startsWith("batch-size=")) {
                batchSize = Integer.parseInt(kv.substring("batch-size=".length()));
            } else if (!kv.isBlank()) {
                sets.add(kv);
            }
        }
        Path dir = work.resolve("sink-" + run);
        Files.createDirectories(dir);
        Path gcLog = dir.resolve("gc.log");
        System.out.println("Sink run " + run + " into " + schema + ": batch.size " + batchSize + ", settings " + sets);
        List<String> args = new ArrayList<>(List.of(
                "--dir", dir.toString(),
                "--name", "jdbc-sink-e2e-" + run,
                "--bootstrap-servers", bootstrap,
                "--topics-regex", PREFIX.replace("-", "\\-") + "\\.bench\\..*",
                "--jdbc-url", pgUrl,
                "--jdbc-user", "postgres",
                "--jdbc-password", "",
                "--schema", schema,
                "--batch-size", Integer.toString(batchSize),
                "--expected", Long.toString(records)));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        String cp = project.resolve("target/sluice-peer-debezium-jdbc.jar") + ":"
                + Files.readString(project.resolve("target/classpath.txt")).trim();
        String heap = opts.getOrDefault("sink-heap", "1g");
        ChildJvm sink = ChildJvm.java("JDBC sink (SinkDrain)", dir.resolve("sink.log"),
                List.of("-Xmx" + heap, "-Xlog:gc:file=" + gcLog), cp, "dev.sluice.peer.jdbc.SinkDrain", args);
        children.add(sink);
        String running;
        String applied;
        double cpuAtRunning;
        double brokerCpu0 = brokerCpu();
        try {
            running = sink.await("PEER-RUNNING ", "PEER-FAILED ", 180);
            cpuAtRunning = sink.cpuSeconds();
            applied = sink.await("PEER-APPLIED ", "PEER-FAILED ", 180 + records / 300);
        } catch (IllegalStateException e) {
            sink.stop();
            children.remove(sink);
            throw e;
        }
        double cpu = sink.cpuSeconds();
        double brokerCpu = brokerCpu() - brokerCpu0;
        double targetCpu = backendCpu(pgUrl);
        String threads = sink.topThreads(5);
        long rss = sink.peakRssMiB();
        String loadAtApplied = loadAverage();
        int exit = sink.stop();
        children.remove(sink);
        String summary = sink.line("PEER-STOPPED ").orElse("");
        long runningAt = Long.parseLong(running.split(" ")[1]);
        long appliedAt = Long.parseLong(applied.split(" ")[1]);
        long firstCommit = field(summary, "first_commit_ms");
        long atFirst = field(summary, "committed_at_first");
        System.out.println("Sink summary: " + summary + " (exit " + exit + ")");
        String figures = String.format(Locale.ROOT,
                "%,d records (%,d row events) applied; JVM start -> task running %.1f s; running -> applied "
                        + "%.2f s = %,.0f records/s; first commit -> applied %.2f s = %,.0f records/s (%,d records "
                        + "after the first commit); worker CPU %.1f s, %.1f s of it after the task was running "
                        + "(%.1f CPU-s per 1M records; threads: %s); PostgreSQL backends %.1f CPU-s; broker %.1f CPU-s; "
                        + "peak heap %d MiB; peak RSS %d MiB; batch.size %d (Connect's average put %s records); "
                        + "load average %s",
                records, sourceEvents, (runningAt - sink.startedAtMs()) / 1000.0, (appliedAt - runningAt) / 1000.0,
                records * 1000.0 / Math.max(1, appliedAt - runningAt), (appliedAt - firstCommit) / 1000.0,
                (records - atFirst) * 1000.0 / Math.max(1, appliedAt - firstCommit), records - atFirst, cpu,
                cpu - cpuAtRunning, (cpu - cpuAtRunning) * 1e6 / records, threads, targetCpu, brokerCpu,
                ChildJvm.peakHeapMiB(gcLog), rss, batchSize,
                summary.replaceAll(".*\"batch_size_avg\":([0-9.]+).*", "$1"), loadAtApplied);
        System.out.println("JDBC sink: " + figures);

        int failures = 0;
        try (Connection maria = DriverManager.getConnection(mariaUrl);
             Connection pg = DriverManager.getConnection(pgUrl, "postgres", "")) {
            for (String table : tables) {
                boolean probe = !table.equals("items");
                if (!compare(maria, pg, schema, table, probe) && !probe) {
                    failures++;
                }
            }
            try (Statement s = pg.createStatement();
                 ResultSet rs = s.executeQuery("SELECT table_name, column_name, data_type, numeric_precision, "
                         + "numeric_scale, datetime_precision FROM information_schema.columns WHERE table_schema = '"
                         + schema + "' ORDER BY table_name, ordinal_position")) {
                System.out.println("PostgreSQL columns the sink created (schema.evolution=basic):");
                while (rs.next()) {
                    System.out.printf(Locale.ROOT, "  %s.%s %s%s%n", rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4) != null && !rs.getString(3).contains("int")
                                    ? "(" + rs.getObject(4) + "," + rs.getObject(5) + ")"
                                    : rs.getObject(6) != null ? " precision " + rs.getObject(6) : "");
                }
            }
        }
        String verdict = failures == 0 ? "PASS: PostgreSQL " + schema + ".items equals MariaDB bench.items"
                : "FAIL: " + failures + " table(s) differ";
        System.out.println(verdict);
        return verdict + "; " + figures;
    }

    /** Compares a table row by row on canonical text; prints the outcome. True if equal. */
    private static boolean compare(Connection maria, Connection pg, String schema, String table, boolean probe)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = maria.getMetaData().getColumns("bench", null, table, null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME"));
            }
        }
        Set<String> inTarget = new java.util.HashSet<>();
        try (ResultSet rs = pg.getMetaData().getColumns(null, schema, table, null)) {
            while (rs.next()) {
                inTarget.add(rs.getString("COLUMN_NAME"));
            }
        }
        List<String> missing = columns.stream().filter(col -> !inTarget.contains(col)).toList();
        if (!missing.isEmpty()) {
            System.out.println("  columns not in PostgreSQL (not compared): " + missing);
            columns.removeAll(missing);
        }
        String list = String.join(", ", columns);
        Map<String, List<String>> source = rows(maria, "SELECT " + list + " FROM bench." + table + " ORDER BY id");
        Map<String, List<String>> target = rows(pg, "SELECT " + list + " FROM " + schema + "." + table + " ORDER BY id");
        int differing = 0;
        Map<String, String> columnExamples = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : source.entrySet()) {
            List<String> t = target.get(e.getKey());
            if (t == null) {
                differing++;
                continue;
            }
            for (int i = 0; i < columns.size(); i++) {
                if (!e.getValue().get(i).equals(t.get(i))) {
                    columnExamples.putIfAbsent(columns.get(i), "MariaDB " + e.getValue().get(i) + " -> PostgreSQL "
                            + t.get(i));
                }
            }
            if (!e.getValue().equals(t)) {
                differing++;
            }
        }
        Set<String> extra = new TreeSet<>(target.keySet());
        extra.removeAll(source.keySet());
        boolean equal = differing == 0 && extra.isEmpty();
        System.out.printf(Locale.ROOT, "%s %s: MariaDB %,d rows, PostgreSQL %,d rows; %,d source rows missing or "
                        + "different, %,d extra rows in PostgreSQL%n", probe ? "Types probe" : "Check", table,
                source.size(), target.size(), differing, extra.size());
        columnExamples.forEach((col, ex) -> System.out.println("  column " + col + ": " + ex));
        return equal;
    }

    private static Map<String, List<String>> rows(Connection c, String sql) throws SQLException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(canonical(rs.getObject(i)));
                }
                rows.put(row.get(0), row);
            }
        }
        return rows;
    }

    /** Values as comparable text: numbers without trailing zeros, timestamps to the microsecond, bytes as hex. */
    static String canonical(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof BigDecimal b) {
            return b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime().format(TS);
        }
        if (v instanceof LocalDateTime t) {
            return t.format(TS);
        }
        if (v instanceof byte[] b) {
            StringBuilder sb = new StringBuilder("0x");
            for (byte x : b) {
                sb.append(String.format("%02x", x));
            }
            return sb.toString();
        }
        return v.toString();
    }

    // ---------------------------------------------------------------- helpers

    private static long field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private String testClasspath() throws IOException {
        return project.resolve("target/test-classes") + ":" + project.resolve("target/classes") + ":"
                + Files.readString(project.resolve("target/test-classpath.txt")).trim();
    }

    private double brokerCpu() {
        return children.stream().filter(c -> c.name().equals("broker")).mapToDouble(ChildJvm::cpuSeconds).sum();
    }

    /** CPU seconds of the PostgreSQL backends connected to the run's database (the sink's pool). */
    private static double backendCpu(String pgUrl) throws SQLException {
        String db = pgUrl.substring(pgUrl.lastIndexOf('/') + 1);
        double sum = 0;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ?")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sum += ChildJvm.cpuSeconds(Path.of("/proc", Integer.toString(rs.getInt(1)), "stat"));
                }
            }
        }
        return sum;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private void stopAll() {
        for (int i = children.size() - 1; i >= 0; i--) {
            try {
                children.get(i).stop();
            } catch (Exception e) {
                System.out.println("Could not stop a child process: " + e);
            }
        }
        System.out.println("Logs and data in " + work);
    }
}
