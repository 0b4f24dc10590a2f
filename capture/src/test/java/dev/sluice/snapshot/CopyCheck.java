package dev.sluice.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.testkit.TopicReader.Rec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a copied-while-written table's topic must satisfy (T13): replaying it per key gives exactly the source
 * table; a key's {@code v} never goes down (the copy never moved a key backwards); a copied row ({@code op r}) of
 * a key the stream already published equals the state the stream left it in (the chunk was published exactly at
 * its read point, or the stream had not changed the key since); nothing follows a key's delete.
 */
public final class CopyCheck {
    public final Map<String, Long> copiedPerKey = new HashMap<>();
    public final List<String> violations = new ArrayList<>();
    public final Map<Long, String> rebuilt = new TreeMap<>();
    public long copied;

    public static CopyCheck of(List<Rec> records, String table) {
        CopyCheck check = new CopyCheck();
        List<Rec> changes = new ArrayList<>();
        for (Rec r : records) {
            if (r.isChange() && table.equals(r.source().table())) {
                changes.add(r);
            }
        }
        changes.sort(Comparator.comparingInt(Rec::partition).thenComparingLong(Rec::offset));
        Map<String, JsonNode> current = new HashMap<>();
        Map<String, Integer> version = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        Map<String, Long> lastPosition = new HashMap<>();
        for (Rec r : changes) {
            String key = r.key();
            String where = " (" + r.op() + " at partition " + r.partition() + " offset " + r.offset() + ", binlog "
                    + r.source().file() + ":"
                    + r.source().pos()
                    + ")";
            if (deleted.contains(key)) {
                check.violations.add("key " + key + " has an event after its delete" + where);
            }
            if (r.op().equals("r")) {
                check.copied++;
                check.copiedPerKey.merge(key, 1L, Long::sum);
                JsonNode now = current.get(key);
                if (now != null && !canonical(now).equals(canonical(r.after()))) { // columns an ALTER added aside
                    check.violations.add("key " + key + " copied as " + r.after() + " after the stream published " + now
                            + " at binlog " + lastPosition.get(key) + where);
                }
            }
            if (r.op().equals("d")) {
                current.remove(key);
                deleted.add(key);
                continue;
            }
            lastPosition.put(key, r.source().pos());
            int v = r.after().path("v").asInt();
            Integer before = version.put(key, v);
            if (before != null && v < before) {
                check.violations.add("key " + key + " went back from v=" + before + " to v=" + v + where);
            }
            current.put(key, r.after());
        }
        current.values()
                .forEach(row -> check.rebuilt.put(
                        row.path("id").asLong(),
                        row.path("v").asInt() + "|" + row.path("payload").asText()));
        return check;
    }

    private static String canonical(JsonNode row) {
        return row.path("id").asLong() + "|" + row.path("v").asInt() + "|"
                + row.path("payload").asText();
    }

    /** Every difference between the rebuilt table and the source, at most 20. */
    public List<String> differencesFrom(MariaDbServer server, String table) throws SQLException {
        Map<Long, String> source = new TreeMap<>();
        try (Connection c = server.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, v, payload FROM " + table)) {
            while (rs.next()) {
                source.put(rs.getLong(1), rs.getInt(2) + "|" + rs.getString(3));
            }
        }
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<Long, String> e : source.entrySet()) {
            String mine = rebuilt.get(e.getKey());
            if (!e.getValue().equals(mine) && diffs.size() < 20) {
                diffs.add("id " + e.getKey() + ": source " + e.getValue() + ", topic " + mine);
            }
        }
        for (Long id : rebuilt.keySet()) {
            if (!source.containsKey(id) && diffs.size() < 20) {
                diffs.add("id " + id + ": not in the source, topic " + rebuilt.get(id));
            }
        }
        if (source.size() != rebuilt.size()) {
            diffs.add("row count: source " + source.size() + ", topic " + rebuilt.size());
        }
        return diffs;
    }
}
