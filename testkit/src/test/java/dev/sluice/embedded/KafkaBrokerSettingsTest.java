package dev.sluice.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** A caller's broker settings (the benches' --broker-setting) reach the running broker; topology ones are refused. */
class KafkaBrokerSettingsTest {
    private static final String BACKOFF = "add.partitions.to.txn.retry.backoff.ms";

    @Test
    void aSettingReplacesKafkasDefaultInTheRunningBroker() throws Exception {
        Path dir = TestServers.directory("kafka-settings");
        try (KafkaBroker broker = KafkaBroker.start(dir, Ports.free(), Ports.free(), 256, Map.of(BACKOFF, "5"));
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(node)).all().get().get(node);
            assertEquals("5", config.get(BACKOFF).value(), "Kafka's default is 20");
            assertFalse(config.get(BACKOFF).isDefault());
        }
    }

    @Test
    void aTopologySettingIsRefusedByName() throws Exception {
        Path dir = TestServers.directory("kafka-settings-refused");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> KafkaBroker.start(dir, Ports.free(), Ports.free(), 256, Map.of("log.dirs", "/elsewhere")));
        assertTrue(e.getMessage().contains("log.dirs"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("data/meta.properties")), "nothing was formatted");
    }
}
