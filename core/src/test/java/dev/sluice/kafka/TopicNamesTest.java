package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
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
    void parseReadsTheTableBackFromItsTopic() {
        assertEquals(Optional.of(new TopicNames.Table("shop", "order_items")), names.parse("p.shop.order_items"));
        assertEquals(Optional.of(new TopicNames.Table("a.b", "c")), names.parse("p.a-2Eb.c"));
        assertEquals(Optional.of(new TopicNames.Table("a", "b.c")), names.parse("p.a.b-2Ec"));
        assertEquals(Optional.of(new TopicNames.Table("d-e", "t-2D1")), names.parse(names.table("d-e", "t-2D1")));
        assertEquals(Optional.of(new TopicNames.Table("_x", "_positions")), names.parse("p._x._positions"));
        assertEquals(Optional.of(new TopicNames.Table("dé", "日本")), names.parse("p.d-C3-A9.-E6-97-A5-E6-9C-AC"));
    }

    @Test
    void parseIsEmptyForEveryTopicThatIsNotAChangeTopicOfThisPrefix() {
        for (String topic : List.of(
                names.positions(),
                names.schemaChanges(),
                names.snapshotRequests(),
                "p",
                "p.",
                "p.db",
                "p.db.t.x",
                "q.db.t",
                "pp.db.t",
                "p.db.-2",
                "p.db.-2e", // lower-case hex: never written
                "p.db.-41", // 'A' escaped although escape keeps letters
                "p.db.-ZZ",
                "p.db.-E6-97", // half a UTF-8 character
                "p.db.t-",
                "p.db.é")) {
            assertEquals(Optional.empty(), names.parse(topic), topic);
        }
    }

    @Test
    void aPrefixWithDotsParsesOnlyItsOwnTopics() {
        TopicNames dotted = new TopicNames("a.b");
        assertEquals(Optional.of(new TopicNames.Table("db", "t")), dotted.parse("a.b.db.t"));
        assertEquals(Optional.empty(), dotted.parse("a.b._positions"));
        assertEquals(Optional.empty(), new TopicNames("a").parse("a.b.db.t"), "another prefix's topic");
        assertEquals(Optional.empty(), dotted.parse("a.c.db.t"));
    }

    /** Property: parse(table(db, t)) == (db, t) for random identifiers over the characters that need care. */
    @Test
    void parseInvertsTheNameOfAnyTable() {
        long seed = Long.getLong("sluice.test.seed", System.nanoTime());
        Random random = new Random(seed);
        String[] pieces = {"a", "Z", "0", "_", ".", "-", "-2E", "-2D", " ", "é", "日本", "🎉", "\u0000", "$", "`", "'"};
        for (String prefix : List.of("p", "a.b", "sluice_1", "x-y")) {
            TopicNames topics = new TopicNames(prefix);
            for (int i = 0; i < 5_000; i++) {
                String db = identifier(random, pieces);
                String table = identifier(random, pieces);
                String topic = topics.table(db, table);
                assertEquals(
                        Optional.of(new TopicNames.Table(db, table)),
                        topics.parse(topic),
                        "seed " + seed + ": " + topic);
            }
        }
    }

    private static String identifier(Random random, String[] pieces) {
        StringBuilder out = new StringBuilder();
        int length = 1 + random.nextInt(8);
        for (int i = 0; i < length; i++) {
            out.append(pieces[random.nextInt(pieces.length)]);
        }
        return out.toString();
    }

    @Test
    void tooLongNameIsRefusedNamingTheTable() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> names.table("db", "x".repeat(300)));
        assertTrue(e.getMessage().contains("db.xxx"), e.getMessage());
    }
}
