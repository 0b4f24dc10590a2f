package dev.sluice.pipeline;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import dev.sluice.config.TableFilter;
import dev.sluice.failure.CrashPoints;
import dev.sluice.kafka.KafkaWriter;
import dev.sluice.kafka.TopicNames;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DDL statements into {@code <prefix>._schema_changes}, in the open Kafka transaction. Sluice does not interpret
 * them (rows are decoded with the schema their TABLE_MAP carries); they are published for consumers that want them.
 * Owned by the stream thread.
 */
final class SchemaChangePublisher {
    private static final Logger log = LoggerFactory.getLogger(SchemaChangePublisher.class);
    /** Statements that can carry password hashes: never published. */
    private static final List<String> ACCOUNT_MANAGEMENT = List.of(
            "GRANT",
            "REVOKE",
            "CREATE USER",
            "ALTER USER",
            "DROP USER",
            "RENAME USER",
            "SET PASSWORD",
            "CREATE ROLE",
            "DROP ROLE",
            "SET DEFAULT ROLE",
            "CREATE OR REPLACE USER",
            "CREATE OR REPLACE ROLE");

    private final TableFilter filter;
    private final TopicNames names;
    private final KafkaWriter writer;
    private final BinlogCursor cursor;
    private final Committer committer;
    private final LongSupplier clock;

    SchemaChangePublisher(
            TableFilter filter,
            TopicNames names,
            KafkaWriter writer,
            BinlogCursor cursor,
            Committer committer,
            LongSupplier clock) {
        this.filter = filter;
        this.names = names;
        this.writer = writer;
        this.cursor = cursor;
        this.committer = committer;
        this.clock = clock;
    }

    /**
     * Publishes DDL of captured databases. A statement run without a default database ({@code ALTER TABLE db.t}
     * with no {@code USE}) has no database in the binlog, and Sluice does not parse SQL to find it, so such
     * statements are published too. Account management (GRANT, CREATE USER, ...) is never published.
     */
    void publish(QueryEventData d, Event event, SourceTransaction tx) {
        String database = d.getDatabase() == null ? "" : d.getDatabase();
        if (!(database.isEmpty() || filter.capturesDatabase(database)) || isAccountManagement(d.getSql())) {
            return;
        }
        long now = clock.getAsLong();
        byte[] value = SchemaChangeJson.write(
                database,
                d.getSql(),
                tx.gtid(),
                cursor.file(),
                cursor.eventStart(),
                event.getHeader().getTimestamp(),
                now);
        writer.send(
                names.schemaChanges(),
                SchemaChangeJson.key(database),
                value,
                "(schema change in " + database + ")",
                tx.gtid(),
                0);
        CrashPoints.reached(CrashPoints.SCHEMA_CHANGE);
        log.info("Schema change in {} at GTID {}", database.isEmpty() ? "(no default database)" : database, tx.gtid());
        committer.sent(1, now);
    }

    private static boolean isAccountManagement(String sql) {
        String upper = sql.stripLeading().toUpperCase(Locale.ROOT);
        return ACCOUNT_MANAGEMENT.stream().anyMatch(upper::startsWith);
    }
}
