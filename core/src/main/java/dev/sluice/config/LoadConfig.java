package dev.sluice.config;

import static dev.sluice.config.ConfigKeys.*;

import dev.sluice.config.ConfigKeys.DeleteMode;
import dev.sluice.config.ConfigKeys.DroppedColumns;
import dev.sluice.config.ConfigKeys.TargetType;
import dev.sluice.config.ConfigKeys.Unrepresentable;
import dev.sluice.config.SluiceConfig.Admin;
import dev.sluice.config.SluiceConfig.Filter;
import dev.sluice.config.SluiceConfig.Kafka;
import java.time.Duration;

/**
 * The validated configuration of {@code sluice load}: the change topics to read (the capture's {@code kafka} section
 * and {@code filter}), how to batch them ({@code load}), where to write them ({@code target}) and its admin endpoint.
 * It reads no {@code source} key, so a loader needs no source credentials; one file can configure a pipeline and its
 * loader.
 */
public record LoadConfig(Kafka kafka, Filter filter, Load load, Target target, Admin admin) {

    public static LoadConfig from(ConfigValues v) {
        return new LoadConfig(
                SluiceConfig.kafka(v),
                SluiceConfig.filter(v),
                new Load(
                        v.get(LOAD_NAME),
                        v.get(LOAD_WORKERS),
                        v.get(LOAD_BATCH_ROWS),
                        v.get(LOAD_BATCH_BYTES),
                        Duration.ofMillis(v.get(LOAD_BATCH_MS)),
                        v.get(LOAD_DELETES),
                        v.get(LOAD_DROPPED_COLUMNS),
                        v.get(LOAD_UNREPRESENTABLE_VALUES)),
                new Target(
                        v.get(TARGET_TYPE),
                        v.get(TARGET_URL),
                        v.get(TARGET_USER),
                        new Secret(v.get(TARGET_PASSWORD)),
                        Duration.ofSeconds(v.get(TARGET_CONNECT_RETRY_SECONDS)),
                        v.get(TARGET_SCHEMA)),
                SluiceConfig.admin(v, LOAD_ADMIN_PORT));
    }

    /** How the loader consumes and batches. */
    public record Load(
            String name,
            int workers,
            int batchRows,
            int batchBytes,
            Duration batchTime,
            DeleteMode deletes,
            DroppedColumns droppedColumns,
            Unrepresentable unrepresentable) {}

    /** The target database; {@code schema} empty means one schema per source database. */
    public record Target(
            TargetType type, String url, String user, Secret password, Duration connectRetry, String schema) {
        /** Where the loader keeps its own tables. */
        public String ownSchema() {
            return schema.isEmpty() ? "public" : schema;
        }
    }
}
