package dev.sluice.snapshot;

import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chunking by every kind of primary key Sluice pages by, with chunks of 7 rows so bounds fall everywhere: each row
 * of the table is copied exactly once. Keys at the edges of their type (BIGINT UNSIGNED max, negative numbers),
 * a case- and accent-insensitive collation (where {@code >} and ORDER BY follow the collation, not the bytes),
 * skewed keys, binary keys, temporal keys and composite keys.
 */
class KeyChunkingTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private final MariaDbServer server = TestServers.mariadb114();

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "k BIGINT UNSIGNED|18446744073709551615,18446744073709551614,9223372036854775808,9223372036854775807,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15",
                "k INT|-2147483648,-5,-1,0,1,2,3,4,5,6,7,8,9,10,100,1000,1000000,1000000000,2147483647,2147483646,11,12",
                "k VARCHAR(20) COLLATE utf8mb4_unicode_ci|'a','B','c','D','e','Z','z1','Ö','p','Q','r','T','u','v','W','x','Y','ß','日本','aa','Ab'",
                "k VARBINARY(8)|x'00',x'0000',x'01',x'7f',x'80',x'ff',x'ff00',x'ffff',x'41',x'61',x'4142',x'00ff',x'1234',x'5678',x'9abc',x'def0'",
                "k DATETIME(6)|'2024-01-01 00:00:00','2024-01-01 00:00:00.000001','1000-01-01 00:00:00','9999-12-31 23:59:59.999999','2024-02-29 12:00:00.5','2024-03-01','2025-06-01','2026-11-23 06:00:00','2001-01-01','1970-01-01 00:00:01','1999-12-31 23:59:59'",
                "k DECIMAL(30,10)|-99999999999999999999.9999999999,-1,0,0.0000000001,1,1.5,2,3,4,5,6,7,8,9,10,99999999999999999999.9999999999"
            })
    void everyRowIsCopiedExactlyOnce(String spec) throws Exception {
        String column = spec.substring(0, spec.indexOf('|'));
        String[] keys = spec.substring(spec.indexOf('|') + 1).split(",(?=[-x'0-9])");
        String db = TestServers.uniqueName("keys");
        try (Connection c = server.connect()) {
            exec(
                    c,
                    "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".t (" + column + " PRIMARY KEY, n INT)",
                    "CREATE TABLE " + db + ".c (a INT, b VARCHAR(10), n INT, PRIMARY KEY (b, a))");
            for (int i = 0; i < keys.length; i++) {
                exec(c, "INSERT INTO " + db + ".t VALUES (" + keys[i] + ", " + i + ")");
            }
            for (int a = 0; a < 6; a++) {
                for (String b : new String[] {"x", "y", "z", "xx"}) {
                    exec(c, "INSERT INTO " + db + ".c VALUES (" + a + ", '" + b + "', " + a + ")");
                }
            }
        }
        Map<ConfigKey<?>, Object> settings = TestConfigs.forDatabase(server, db);
        settings.put(ConfigKeys.SNAPSHOT_MODE, "initial");
        settings.put(ConfigKeys.SNAPSHOT_CHUNK_SIZE, 7);
        settings.put(ConfigKeys.SNAPSHOT_PARALLELISM, 3);
        try (TopicReader topics = new TopicReader(
                        TestServers.kafka().bootstrapServers(),
                        Pattern.compile("t_" + Pattern.quote(db) + "\\.[^_].*"));
                InProcessPipeline pipeline = InProcessPipeline.start(TestConfigs.build(settings))) {
            Copies.awaitCopied(pipeline.stats(), db + ".t");
            Copies.awaitCopied(pipeline.stats(), db + ".c");
            List<Rec> records = topics.readUntil(r -> r.size() >= keys.length + 24, WAIT, "every copied row");
            records = topics.drain(Duration.ofMillis(500));
            assertEquals(sourceKeys(db, "t", "n"), copiedKeys(records, "t"), "table t, key " + column);
            assertEquals(sourceKeys(db, "c", "CONCAT(a, '/', b)"), copiedKeys(records, "c"), "composite key (b, a)");
        }
    }

    /** Each row's identity (the non-key column n, or a rendering of the key) → how often it was copied. */
    private static Map<String, Integer> copiedKeys(List<Rec> records, String table) {
        Map<String, Integer> copied = new HashMap<>();
        for (Rec r : records) {
            if ("r".equals(r.op()) && table.equals(r.source().table())) {
                String id = table.equals("t")
                        ? r.after().path("n").asText()
                        : r.after().path("a").asText() + "/"
                                + r.after().path("b").asText();
                copied.merge(id, 1, Integer::sum);
            }
        }
        return copied;
    }

    private Map<String, Integer> sourceKeys(String db, String table, String expression) throws Exception {
        Map<String, Integer> keys = new HashMap<>();
        try (Connection c = server.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + expression + " FROM " + db + "." + table)) {
            while (rs.next()) {
                keys.put(rs.getString(1), 1);
            }
        }
        return keys;
    }
}
