package dev.sluice.kafka;

import dev.sluice.config.SluiceConfig;
import java.util.Properties;

/** Client properties shared by the producer, consumer and admin clients: bootstrap plus the user's extras. */
final class KafkaClients {
    private KafkaClients() {}

    static Properties base(SluiceConfig.Kafka kafka) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put("bootstrap.servers", kafka.bootstrapServers());
        return props;
    }
}
