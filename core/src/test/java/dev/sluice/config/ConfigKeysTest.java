package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {
    /** A key declared but not in ALL would be refused as unknown in YAML and missing from the reference. */
    @Test
    void everyDeclaredKeyIsRegistered() throws IllegalAccessException {
        List<ConfigKey<?>> declared = new ArrayList<>();
        for (Field field : ConfigKeys.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigKey.class) {
                declared.add((ConfigKey<?>) field.get(null));
            }
        }
        assertTrue(declared.size() > 10, "found the declarations: " + declared.size());
        Set<ConfigKey<?>> registered = new HashSet<>(ConfigKeys.ALL);
        for (ConfigKey<?> key : declared) {
            assertTrue(registered.contains(key), key.name() + " is declared in ConfigKeys but not listed in ALL");
        }
        assertEquals(declared.size(), ConfigKeys.ALL.size(), "ALL lists a key twice or one declared elsewhere");
    }

    @Test
    void everyKeyHasAUniqueNameAndHelpText() {
        Set<String> names = new HashSet<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            assertTrue(names.add(key.name()), "two keys named " + key.name());
            assertTrue(key.doc() != null && key.doc().length() > 10, key.name() + " has no help text");
        }
    }
}
