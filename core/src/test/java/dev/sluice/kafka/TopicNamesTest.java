package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicNamesTest {
    private final TopicNames names = new TopicNames("p");

    @Test
    void plainNamesStayReadable() {
        assertEquals("p.shop.order_items", names.table("shop", "order_items"));
    }

    @Test
    void dotsInIdentifiersCannotCollide() {
        assertNotEquals(names.table("a.b", "c"), names.table("a", "b.c"));
        assertEquals("p.a-2Eb.c", names.table("a.b", "c"));
    }

    @Test
    void everyEscapedNameIsAValidKafkaTopicAndDistinct() {
        List<String[]> tables = List.of(
                new String[] {"db", "t-1"},
                new String[] {"db", "t-2D1"},
                new String[] {"db", "t 1"},
                new String[] {"dé", "t"},
                new String[] {"d-e", "t"},
                new String[] {"db", "日本"},
                new String[] {"db", "_positions"});
        Set<String> seen = new HashSet<>();
        for (String[] t : tables) {
            String topic = names.table(t[0], t[1]);
            assertTrue(topic.matches("[A-Za-z0-9._-]+"), topic);
            assertTrue(seen.add(topic), "collision: " + topic);
        }
        assertFalse(seen.contains(names.positions()));
        assertFalse(seen.contains(names.schemaChanges()));
    }

    @Test
    void tooLongNameIsRefusedNamingTheTable() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> names.table("db", "x".repeat(300)));
        assertTrue(e.getMessage().contains("db.xxx"), e.getMessage());
    }
}
