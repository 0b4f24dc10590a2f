package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.config.SluiceConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** What every consumer of Sluice's topics is built with, and that nothing can weaken it. */
class ChangeConsumerTest {
    private final SluiceConfig.Kafka kafka = new SluiceConfig.Kafka(
            "broker:9093",
            "sluice",
            1,
            1,
            Map.of("security.protocol", "SSL", "isolation.level", "read_uncommitted", "enable.auto.commit", "true"),
            Duration.ofSeconds(1));

    @Test
    void readsCommittedBytesWithoutAutoCommitAndTheConfiguredClientProperties() {
        Properties props = ChangeConsumer.of(kafka).properties();
        assertEquals("broker:9093", props.get("bootstrap.servers"));
        assertEquals("SSL", props.get("security.protocol"), "TLS, SASL, ... from kafka.properties");
        assertEquals("read_committed", props.get("isolation.level"), "a properties file cannot weaken it");
        assertEquals("false", props.get("enable.auto.commit"));
        assertEquals(ByteArrayDeserializer.class.getName(), props.get("key.deserializer"));
        assertEquals(ByteArrayDeserializer.class.getName(), props.get("value.deserializer"));
        assertEquals("earliest", props.get("auto.offset.reset"), "without an offset, nothing is skipped");
        assertNull(props.get("group.id"), "assigned partitions by default");
    }

    @Test
    void aGroupAndTuningAreTheCallersButTheGuaranteeIsNot() {
        Properties props = ChangeConsumer.of("localhost:1")
                .group("loader")
                .property("max.poll.records", 500)
                .property("auto.offset.reset", "latest")
                .properties();
        assertEquals("loader", props.get("group.id"));
        assertEquals("500", props.get("max.poll.records"));
        assertEquals("latest", props.get("auto.offset.reset"));
        for (String fixed : new String[] {"isolation.level", "enable.auto.commit", "value.deserializer", "group.id"}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ChangeConsumer.of("localhost:1").property(fixed, "x"));
            assertTrue(e.getMessage().startsWith(fixed), e.getMessage());
        }
    }

    @Test
    void onlyAnExplicitRequestReadsAbortedRecords() {
        assertEquals(
                "read_uncommitted",
                ChangeConsumer.of("localhost:1").includingAborted().properties().get("isolation.level"));
    }
}
