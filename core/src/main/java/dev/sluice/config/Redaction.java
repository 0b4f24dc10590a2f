package dev.sluice.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Decides which free-form property values (Kafka client properties) are secrets and hides them: every property
 * kafka-clients itself declares as a password, and any other whose name looks like a secret (Schema Registry's
 * {@code basic.auth.user.info}, a plugin's token). Hiding too much is harmless; showing one secret is not.
 */
public final class Redaction {
    private static final String[] SECRET_MARKERS = {
        "password", "secret", "jaas", "token", "credential", "key", "auth.user", "user.info"
    };
    private static final Set<String> DECLARED_PASSWORDS = declaredPasswords();

    private Redaction() {}

    public static boolean looksSecret(String propertyName) {
        String lower = propertyName.toLowerCase(Locale.ROOT);
        if (DECLARED_PASSWORDS.contains(lower)) {
            return true;
        }
        if (lower.endsWith("serializer") || lower.endsWith(".type") || lower.endsWith(".location")) {
            return false;
        }
        for (String marker : SECRET_MARKERS) {
            if (lower.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> declaredPasswords() {
        Set<String> names = new HashSet<>();
        for (ConfigDef def :
                List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())) {
            def.configKeys().forEach((name, key) -> {
                if (key.type() == ConfigDef.Type.PASSWORD) {
                    names.add(name.toLowerCase(Locale.ROOT));
                }
            });
        }
        return Set.copyOf(names);
    }

    static Object redactValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), looksSecret(String.valueOf(k)) ? Secret.REDACTED : v));
            return copy;
        }
        return value;
    }
}
