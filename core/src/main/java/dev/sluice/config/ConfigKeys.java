package dev.sluice.config;

import java.util.List;

/** Every configuration key Sluice reads. The order here is the order of the reference docs. */
public final class ConfigKeys {
    private ConfigKeys() {}

    /** Where the pipeline starts when no position is stored yet. */
    public enum StartFrom {
        /** The server's current binlog end: only changes committed after the first start are published. */
        LATEST,
        /** The oldest binlog the server still has: everything in it is published. */
        EARLIEST
    }

    /** Whether the pipeline copies existing table contents (docs/snapshots.md). */
    public enum SnapshotMode {
        /** On the first start (no stored position), copy every captured table, then stream. */
        INITIAL,
        /** Never copy on its own; only {@code sluice snapshot} requests are served. */
        NEVER,
        /**
         * Copy every captured table when there is no usable stored position: none yet, or one the server no longer
         * has (purged binlogs, a diverged history); in the latter case the pipeline starts over at the server's
         * current position instead of stopping.
         */
        WHEN_NEEDED
    }

    /** The database a loader writes into (docs/load.md). */
    public enum TargetType {
        /** PostgreSQL 15 or later: COPY into a staging table, then one set-based apply with MERGE semantics. */
        POSTGRESQL,
        /** Redshift and warehouses like it: the same staging, then DELETE and INSERT instead of ON CONFLICT. */
        REDSHIFT
    }

    /** What a loader does with a deleted source row. */
    public enum DeleteMode {
        /** The row is deleted from the target table (its key and version are kept aside, see docs/load.md). */
        HARD,
        /** The row stays, marked {@code _sluice_deleted} with the version of its delete. */
        SOFT
    }

    /** What a loader does with a column the source dropped. */
    public enum DroppedColumns {
        /** The target column stays, nullable: rows keep their values, rows inserted after the drop have NULL. */
        KEEP,
        /** The target column is dropped too, with its values. */
        DROP
    }

    /** What a loader does with a value its target's type cannot hold (a zero date in PostgreSQL, say). */
    public enum Unrepresentable {
        /** Stop at that change, naming table, column, key and value: nothing is written that differs. */
        STOP,
        /** Write NULL instead, count it per table and column (sluice_load_values_nulled) and log it once. */
        NULL
    }

    public static final ConfigKey<String> SOURCE_HOST = ConfigKey.string(
            "source.host", "127.0.0.1", "Host name or address of the MySQL/MariaDB server to read the binlog from.");
    public static final ConfigKey<Integer> SOURCE_PORT =
            ConfigKey.integer("source.port", 3306, 1, 65535, "TCP port of the source server.");
    public static final ConfigKey<String> SOURCE_USER = ConfigKey.string(
                    "source.user",
                    null,
                    "User to connect as. Needs REPLICATION SLAVE, BINLOG MONITOR (MariaDB 10.5+) or REPLICATION CLIENT (MySQL), "
                            + "and SELECT on the captured tables.")
            .required();
    public static final ConfigKey<String> SOURCE_PASSWORD = ConfigKey.string(
                    "source.password",
                    "",
                    "Password of source.user. Never printed; use ${ENV_VAR} substitution to keep it out of the file.")
            .secret();
    public static final ConfigKey<Long> SOURCE_SERVER_ID = ConfigKey.longInteger(
            "source.server-id",
            54001,
            1,
            4294967295L,
            "Replica server_id Sluice uses on the binlog connection. Must differ from the source's own "
                    + "server_id and from every other replica of that server.");
    public static final ConfigKey<Integer> SOURCE_HEARTBEAT_SECONDS = ConfigKey.integer(
            "source.heartbeat-seconds",
            5,
            1,
            300,
            "The source sends a heartbeat on an idle binlog connection this often. With no event and no "
                    + "heartbeat for three times this long the link is taken as dead (a silent network failure): Sluice "
                    + "drops it and reconnects from the committed position. With nothing to publish, Sluice also "
                    + "re-commits its position to Kafka this often (a keep-alive that /health judges progress by).");
    public static final ConfigKey<Integer> SOURCE_CONNECT_RETRY_SECONDS = ConfigKey.integer(
            "source.connect-retry-seconds",
            60,
            0,
            86_400,
            "How long to keep retrying an unreachable source (with backoff) before stopping with exit code 4.");

    public static final ConfigKey<String> KAFKA_BOOTSTRAP_SERVERS = ConfigKey.string(
                    "kafka.bootstrap-servers", null, "Kafka bootstrap servers, host:port[,host:port...].")
            .required();
    public static final ConfigKey<String> KAFKA_TOPIC_PREFIX = ConfigKey.string(
            "kafka.topic-prefix",
            "sluice",
            "Prefix of every topic: rows go to <prefix>.<database>.<table>, DDL to <prefix>._schema_changes, "
                    + "positions to <prefix>._positions. Letters, digits, '.', '_' and '-' only.");
    public static final ConfigKey<Integer> KAFKA_PARTITIONS = ConfigKey.integer(
            "kafka.partitions",
            1,
            1,
            10_000,
            "Partitions for table topics Sluice creates. Events of one primary key always go to one partition.");
    public static final ConfigKey<Integer> KAFKA_REPLICATION_FACTOR = ConfigKey.integer(
            "kafka.replication-factor",
            -1,
            -1,
            32,
            "Replication factor for topics Sluice creates; -1 uses the broker's default.");
    public static final ConfigKey<Integer> KAFKA_CONNECT_RETRY_SECONDS = ConfigKey.integer(
            "kafka.connect-retry-seconds",
            60,
            0,
            86_400,
            "How long to keep retrying an unreachable Kafka cluster before stopping with exit code 4.");
    public static final ConfigKey<java.util.Map<String, String>> KAFKA_PROPERTIES = ConfigKey.map(
            "kafka.properties",
            "Extra Kafka client properties (security.protocol, sasl.*, ssl.*, compression.type, ...), passed to the "
                    + "producer, consumer and admin clients. Values of keys that look like secrets are never printed. "
                    + "Sluice owns the settings exactly-once depends on (transactional.id, enable.idempotence, acks, "
                    + "isolation.level) and refuses to start if they are set here.");

    public static final ConfigKey<String> PIPELINE_NAME = ConfigKey.string(
            "pipeline.name",
            "sluice",
            "Name of this pipeline: its Kafka transactional.id and the key of its stored position. Two instances "
                    + "with the same name fence each other (the newer one wins).");
    public static final ConfigKey<StartFrom> PIPELINE_START = ConfigKey.choice(
            "pipeline.start",
            StartFrom.LATEST,
            "Where to start when no position is stored: latest (changes after the first start) or earliest "
                    + "(everything in the oldest binlog the server still has).");
    public static final ConfigKey<Integer> PIPELINE_COMMIT_INTERVAL_MS = ConfigKey.integer(
            "pipeline.commit-interval-ms",
            100,
            1,
            60_000,
            "Many source transactions are grouped into one Kafka transaction; it is committed at the first source "
                    + "transaction boundary after this many milliseconds at the latest.");
    public static final ConfigKey<Integer> PIPELINE_COMMIT_MIN_INTERVAL_MS = ConfigKey.integer(
            "pipeline.commit-min-interval-ms",
            0,
            0,
            60_000,
            "... but as soon as the pipeline has handled every event the server has sent (it is caught up), it "
                    + "commits at once, if at least this many milliseconds have passed since the previous commit: "
                    + "rows become visible within about one Kafka commit while the pipeline keeps up, and batches "
                    + "still grow to pipeline.commit-interval-ms under a backlog. Raise it to make fewer, larger "
                    + "Kafka transactions at low rates; equal to pipeline.commit-interval-ms turns it off.");
    public static final ConfigKey<Integer> PIPELINE_COMMIT_MAX_EVENTS = ConfigKey.integer(
            "pipeline.commit-max-events",
            20_000,
            1,
            10_000_000,
            "... or after this many row events, whichever comes first.");
    public static final ConfigKey<Long> PIPELINE_MAX_TRANSACTION_EVENTS = ConfigKey.longInteger(
            "pipeline.max-transaction-events",
            1_000_000,
            1,
            Long.MAX_VALUE,
            "A source transaction with more row events than this is split across Kafka transactions (its events "
                    + "then become visible to read_committed consumers in parts; see docs/exactly-once.md). Smaller "
                    + "ones are always atomic.");

    public static final ConfigKey<SnapshotMode> SNAPSHOT_MODE = ConfigKey.choice(
            "snapshot.mode",
            SnapshotMode.INITIAL,
            "initial: on the first start, copy every captured table (op r events), then stream; never: no automatic "
                    + "copy; when-needed (or when_needed): copy when there is no stored position or the server no "
                    + "longer has it, instead of stopping. "
                    + "Copies take no locks (docs/snapshots.md); `sluice snapshot --table` re-copies one table any time. "
                    + "pipeline.start: earliest replays the binlog instead and requires never.");
    public static final ConfigKey<Integer> SNAPSHOT_CHUNK_SIZE = ConfigKey.integer(
            "snapshot.chunk-size",
            10_000,
            1,
            1_000_000,
            "Rows per primary-key chunk. Each chunk is one short consistent read and is published with its "
                    + "progress in one Kafka transaction: a restart resumes at the first unpublished chunk.");
    public static final ConfigKey<Integer> SNAPSHOT_PARALLELISM = ConfigKey.integer(
            "snapshot.parallelism", 2, 1, 64, "Chunks of one table read at once, each on its own connection.");
    public static final ConfigKey<Integer> SNAPSHOT_MAX_ROWS_PER_SECOND = ConfigKey.integer(
            "snapshot.max-rows-per-second",
            0,
            0,
            Integer.MAX_VALUE,
            "Upper bound of the copy rate, to spare a busy source; 0 means no bound.");
    public static final ConfigKey<Integer> SNAPSHOT_MAX_LAG_SECONDS = ConfigKey.integer(
            "snapshot.max-lag-seconds",
            30,
            0,
            86_400,
            "Pause copying while the live stream is more than this far behind the source (the stream "
                    + "always has priority); 0 turns the check off.");
    public static final ConfigKey<Integer> SNAPSHOT_MAX_REPLICA_LAG_SECONDS = ConfigKey.integer(
            "snapshot.max-replica-lag-seconds",
            60,
            0,
            86_400,
            "When the source is itself a replica, pause copying while its Seconds_Behind_Master is above this; 0 turns "
                    + "the check off. Needs the SLAVE MONITOR (or REPLICATION CLIENT) privilege; without it the check "
                    + "is skipped with a warning.");

    public static final ConfigKey<List<String>> FILTER_INCLUDE = ConfigKey.list(
            "filter.include",
            List.of("*.*"),
            "Tables to capture, as database.table patterns with * and ? wildcards (e.g. shop.*, *.orders).");
    public static final ConfigKey<List<String>> FILTER_EXCLUDE = ConfigKey.list(
            "filter.exclude",
            List.of(),
            "Tables to leave out, same patterns; wins over include. The system databases mysql, sys, "
                    + "information_schema and performance_schema are never captured.");

    public static final ConfigKey<String> ADMIN_BIND_ADDRESS = ConfigKey.string(
            "admin.bind-address",
            "127.0.0.1",
            "Address the read-only admin HTTP endpoint (/health, /metrics) listens on. Loopback by default; any other "
                    + "address requires admin.token.");
    public static final ConfigKey<Integer> ADMIN_PORT = ConfigKey.integer(
            "admin.port",
            9779,
            -1,
            65535,
            "TCP port of the admin endpoint; 0 picks a free port (the log line at startup names it), -1 turns the "
                    + "endpoint off. A port already in use stops Sluice at startup with exit code 2.");

    public static final ConfigKey<String> ADMIN_TOKEN = ConfigKey.string(
                    "admin.token",
                    "",
                    "Bearer token the admin endpoint requires (Authorization: Bearer <token>) on every path when set. "
                            + "Required when admin.bind-address is not a loopback address. Never printed; use ${ENV_VAR}.")
            .secret();

    public static final ConfigKey<String> LOAD_NAME = ConfigKey.string(
            "load.name",
            "sluice-load",
            "The loader's name: its Kafka consumer group. Loaders with the same name share the partitions of the "
                    + "change topics; every loader of a target continues from the offsets stored in the target itself.");
    public static final ConfigKey<Integer> LOAD_WORKERS = ConfigKey.integer(
            "load.workers",
            2,
            1,
            64,
            "Consumers in this loader process, each with its own target connection; more processes with the same "
                    + "load.name scale out further.");
    public static final ConfigKey<Integer> LOAD_BATCH_ROWS = ConfigKey.integer(
            "load.batch-rows",
            50_000,
            1,
            10_000_000,
            "A worker applies its batch in one target transaction once it holds this many change events.");
    public static final ConfigKey<Integer> LOAD_BATCH_BYTES = ConfigKey.integer(
            "load.batch-bytes",
            64 << 20,
            1024,
            Integer.MAX_VALUE,
            "... or this many bytes of change records (it bounds the loader's memory: about twice this per worker).");
    public static final ConfigKey<Integer> LOAD_BATCH_MS = ConfigKey.integer(
            "load.batch-ms",
            1_000,
            0,
            3_600_000,
            "... or once its oldest event has waited this long (the loader's added latency at low rates).");
    public static final ConfigKey<DeleteMode> LOAD_DELETES = ConfigKey.choice(
            "load.deletes",
            DeleteMode.HARD,
            "hard deletes the target row; soft keeps it with _sluice_deleted = true and the delete's version.");
    public static final ConfigKey<DroppedColumns> LOAD_DROPPED_COLUMNS = ConfigKey.choice(
            "load.dropped-columns",
            DroppedColumns.KEEP,
            "keep leaves a column the source dropped in the target (nullable from then on); drop drops it too.");
    public static final ConfigKey<Unrepresentable> LOAD_UNREPRESENTABLE_VALUES = ConfigKey.choice(
            "load.unrepresentable-values",
            Unrepresentable.STOP,
            "A value the target cannot hold exactly (a zero or invalid DATE/DATETIME, a year 0, a NUL character in "
                    + "PostgreSQL text): stop stops the loader at that change naming it; null writes NULL instead, "
                    + "counted in sluice_load_values_nulled and logged once per column.");
    public static final ConfigKey<Integer> LOAD_ADMIN_PORT = ConfigKey.integer(
            "load.admin-port",
            9780,
            -1,
            65535,
            "TCP port of the loader's admin endpoint (/health, /metrics) on admin.bind-address; 0 picks a free port, "
                    + "-1 turns it off. Its own port, so a loader and a pipeline can share a host and a config file.");

    public static final ConfigKey<TargetType> TARGET_TYPE = ConfigKey.choice(
                    "target.type", TargetType.POSTGRESQL, "The kind of database the loader writes into.")
            .required();
    public static final ConfigKey<String> TARGET_URL = ConfigKey.string(
                    "target.url",
                    null,
                    "JDBC URL of the target database, e.g. jdbc:postgresql://warehouse:5432/analytics (TLS and "
                            + "other driver settings go in the URL).")
            .required();
    public static final ConfigKey<String> TARGET_USER =
            ConfigKey.string("target.user", "", "User the loader connects as.");
    public static final ConfigKey<String> TARGET_PASSWORD = ConfigKey.string(
                    "target.password", "", "Password of target.user. Never printed; use ${ENV_VAR}.")
            .secret();
    public static final ConfigKey<Integer> TARGET_CONNECT_RETRY_SECONDS = ConfigKey.integer(
            "target.connect-retry-seconds",
            60,
            0,
            86_400,
            "How long the loader keeps trying to reach the target, at start and after a lost connection, before it "
                    + "stops with exit code 4.");
    public static final ConfigKey<String> TARGET_SCHEMA = ConfigKey.string(
            "target.schema",
            "",
            "Schema the loaded tables are created in. Empty (the default): each source database becomes a schema of "
                    + "the same name (shop.orders loads into shop.orders). Set: every table goes into this schema under "
                    + "its own name, and two tables of the same name from different databases are refused. The "
                    + "loader's own tables (_sluice_*) go into this schema, or public when it is empty.");

    public static final List<ConfigKey<?>> ALL = List.of(
            SOURCE_HOST,
            SOURCE_PORT,
            SOURCE_USER,
            SOURCE_PASSWORD,
            SOURCE_SERVER_ID,
            SOURCE_HEARTBEAT_SECONDS,
            SOURCE_CONNECT_RETRY_SECONDS,
            KAFKA_BOOTSTRAP_SERVERS,
            KAFKA_TOPIC_PREFIX,
            KAFKA_PARTITIONS,
            KAFKA_REPLICATION_FACTOR,
            KAFKA_CONNECT_RETRY_SECONDS,
            KAFKA_PROPERTIES,
            PIPELINE_NAME,
            PIPELINE_START,
            PIPELINE_COMMIT_INTERVAL_MS,
            PIPELINE_COMMIT_MIN_INTERVAL_MS,
            PIPELINE_COMMIT_MAX_EVENTS,
            PIPELINE_MAX_TRANSACTION_EVENTS,
            SNAPSHOT_MODE,
            SNAPSHOT_CHUNK_SIZE,
            SNAPSHOT_PARALLELISM,
            SNAPSHOT_MAX_ROWS_PER_SECOND,
            SNAPSHOT_MAX_LAG_SECONDS,
            SNAPSHOT_MAX_REPLICA_LAG_SECONDS,
            FILTER_INCLUDE,
            FILTER_EXCLUDE,
            ADMIN_BIND_ADDRESS,
            ADMIN_PORT,
            ADMIN_TOKEN,
            LOAD_NAME,
            LOAD_WORKERS,
            LOAD_BATCH_ROWS,
            LOAD_BATCH_BYTES,
            LOAD_BATCH_MS,
            LOAD_DELETES,
            LOAD_DROPPED_COLUMNS,
            LOAD_UNREPRESENTABLE_VALUES,
            LOAD_ADMIN_PORT,
            TARGET_TYPE,
            TARGET_URL,
            TARGET_USER,
            TARGET_PASSWORD,
            TARGET_CONNECT_RETRY_SECONDS,
            TARGET_SCHEMA);

    /** The key called {@code name}, if there is one. */
    public static java.util.Optional<ConfigKey<?>> named(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
    }
}
