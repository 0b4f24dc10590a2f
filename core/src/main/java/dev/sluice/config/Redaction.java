package dev.sluice.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Decides which free-form property values (Kafka client properties) are secrets and hides them. */
public final class Redaction {
    private static final String[] SECRET_MARKERS = {"password", "secret", "jaas", "token", "credential", "key"};

    private Redaction() {}

    public static boolean looksSecret(String propertyName) {
        String lower = propertyName.toLowerCase(Locale.ROOT);
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

    static Object redactValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), looksSecret(String.valueOf(k)) ? Secret.REDACTED : v));
            return copy;
        }
        return value;
    }
}
