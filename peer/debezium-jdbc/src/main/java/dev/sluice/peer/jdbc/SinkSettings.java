package dev.sluice.peer.jdbc;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The peer's arguments, and the worker and connector settings written from them. The settings are those a user
 * loading Debezium change topics into PostgreSQL with this connector would choose; the README says why each is set.
 * {@code --set key=value} adds or replaces a connector setting and {@code --worker-set key=value} a worker setting,
 * after the defaults below, so a benchmark can vary one without a new build.
 */
record SinkSettings(
        Path dir,
        String name,
        String bootstrapServers,
        String topics,
        String topicsRegex,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String schema,
        int batchSize,
        long expected,
        long commitIntervalMs,
        long pollMs,
        Map<String, String> connectorOverrides,
        Map<String, String> workerOverrides) {

    static final String CONNECTOR_CLASS = "io.debezium.connector.jdbc.JdbcSinkConnector";

    static final String USAGE = """
            usage: SinkDrain --dir RUN_DIR --name NAME --bootstrap-servers HOST:PORT
                             (--topics T1,T2,... | --topics-regex REGEX)
                             --jdbc-url URL [--jdbc-user postgres] [--jdbc-password '']
                             --schema TARGET_SCHEMA [--batch-size 500] --expected RECORDS
                             [--commit-interval-ms 100] [--poll-ms 20]
                             [--set CONNECTOR_KEY=VALUE]... [--worker-set WORKER_KEY=VALUE]...
              NAME names the connector and its consumer group (connect-NAME): use a new one per run.
              RECORDS: records of the topics (tombstones included) to be applied before PEER-APPLIED.""";

    static SinkSettings parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> connector = new LinkedHashMap<>();
        Map<String, String> worker = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --option value at " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--set" -> put(connector, value);
                case "--worker-set" -> put(worker, value);
                default -> values.put(option.substring(2), value);
            }
        }
        String topics = values.remove("topics");
        String topicsRegex = values.remove("topics-regex");
        if ((topics == null) == (topicsRegex == null)) {
            throw new IllegalArgumentException("Give exactly one of --topics and --topics-regex");
        }
        SinkSettings s = new SinkSettings(
                Path.of(required(values, "dir")).toAbsolutePath(),
                required(values, "name"),
                required(values, "bootstrap-servers"),
                topics,
                topicsRegex,
                required(values, "jdbc-url"),
                values.getOrDefault("jdbc-user", "postgres"),
                values.getOrDefault("jdbc-password", ""),
                required(values, "schema"),
                Integer.parseInt(values.getOrDefault("batch-size", "500")),
                Long.parseLong(required(values, "expected")),
                Long.parseLong(values.getOrDefault("commit-interval-ms", "100")),
                Long.parseLong(values.getOrDefault("poll-ms", "20")),
                connector,
                worker);
        for (String known : new String[] {"dir", "name", "bootstrap-servers", "jdbc-url", "jdbc-user", "jdbc-password",
                "schema", "batch-size", "expected", "commit-interval-ms", "poll-ms"}) {
            values.remove(known);
        }
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown options: " + values.keySet());
        }
        return s;
    }

    private static void put(Map<String, String> into, String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("Expected KEY=VALUE, got " + keyValue);
        }
        into.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
    }

    private static String required(Map<String, String> values, String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("Missing --" + key);
        }
        return v;
    }

    /** The consumer group Kafka Connect gives a sink connector. */
    String group() {
        return "connect-" + name;
    }

    String topicsDescription() {
        return topics != null ? "the topics " + topics : "the topics matching " + topicsRegex;
    }

    /** The standalone worker's settings (connect-standalone.properties). */
    Map<String, String> workerConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("bootstrap.servers", bootstrapServers);
        // Debezium's topics as peer/debezium writes them with schemas on: JSON with a schema block per record.
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("key.converter.schemas.enable", "true");
        c.put("value.converter.schemas.enable", "true");
        // Standalone mode keeps source offsets in a file (unused by a sink, but required).
        c.put("offset.storage.file.filename", dir.resolve("connect.offsets").toString());
        // How often the sink's consumer commits the offsets of what put() has written: the default 60 s would make
        // "applied" visible up to a minute late. A commit is one OffsetCommit request.
        c.put("offset.flush.interval.ms", Long.toString(commitIntervalMs));
        // Every plugin here has a ServiceLoader manifest (Connect itself suggests this setting when it sees that):
        // the default (hybrid_warn) also scans every class of the class path, which takes seconds.
        c.put("plugin.discovery", "service_load");
        // The REST API on an ephemeral loopback port: nothing here uses it, and 8083 may be taken on a shared box.
        c.put("listeners", "http://127.0.0.1:0");
        c.putAll(workerOverrides);
        return c;
    }

    /** The JDBC sink's settings (the connector's properties file). */
    Map<String, String> connectorConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("connector.class", CONNECTOR_CLASS);
        c.put("tasks.max", "1");
        if (topics != null) {
            c.put("topics", topics);
        } else {
            c.put("topics.regex", topicsRegex);
        }
        c.put("connection.url", jdbcUrl);
        c.put("connection.username", jdbcUser);
        c.put("connection.password", jdbcPassword);
        // Upserts keyed by the record key (the source's primary key), deletes from delete events and tombstones:
        // replaying a record twice leaves the same row, which is what makes at-least-once delivery converge.
        c.put("insert.mode", "upsert");
        c.put("primary.key.mode", "record_key");
        c.put("delete.enabled", "true");
        // Create the table from the first record's schema, add columns that appear later.
        c.put("schema.evolution", "basic");
        // Batching: the sink groups up to batch.size records per table into one JDBC batch and transaction, but a
        // put() only holds what one consumer poll returned, so the poll must be allowed as many records.
        c.put("batch.size", Integer.toString(batchSize));
        c.put("consumer.override.max.poll.records", Integer.toString(batchSize));
        // ... and a poll carries at most max.partition.fetch.bytes (1 MiB by default) of one partition, which is
        // few of Debezium's JSON-with-schema records (each carries its schema). Let one partition fill a whole fetch
        // (fetch.max.bytes, 50 MiB by default), so that batch.size, not the fetch size, decides the batch.
        c.put("consumer.override.max.partition.fetch.bytes", "52428800");
        // Table naming: topic <prefix>.<database>.<table> -> <schema>.<table>. RegexRouter keeps the last part of
        // the topic name, collection.name.format puts it in the target schema (the default strategy would turn
        // the whole topic into dbz_w1_r2_bench_rows). The sink commits offsets by the original topic, so the
        // rename does not affect them. ${source.table} would work without the SMT, but cannot name a tombstone's
        // table (a tombstone has no source block) and logs a warning for each one.
        c.put("transforms", "route");
        c.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
        c.put("transforms.route.regex", ".*\\.([^.]+)");
        c.put("transforms.route.replacement", "$1");
        c.put("collection.name.format", schema + ".${topic}");
        c.putAll(connectorOverrides);
        return c;
    }
}
