package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.event.ChangeEvent;
import dev.sluice.event.Op;
import dev.sluice.event.RowImage;
import dev.sluice.event.TableFold;
import dev.sluice.testkit.TopicReader.Rec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checker of RELIABILITY.md's invariants over what a {@code read_committed} consumer read from the workload's
 * topics. It is a pure function of the records, the committed transactions and the source rows, so it can be run
 * on a corrupted copy of the output to show that each invariant can fail ({@code InvariantCheckerTest}).
 *
 * <ul>
 *   <li>I1 no duplicates: (GTID, event index) unique across all topics.</li>
 *   <li>I2 no loss: every committed GTID is in Kafka.</li>
 *   <li>I3 order: per key, {@code v} strictly increases in partition order, and nothing follows a delete (the
 *       workload never reuses an id).</li>
 *   <li>I4 atomicity: every GTID in Kafka has exactly its event indexes 0..n-1 (no part of a transaction), and
 *       no GTID the source did not commit (aborted data) beyond the indeterminate commits.</li>
 *   <li>I5 state: the tables rebuilt from the topics by core's {@link TableFold} equal the source tables (ordered
 *       MD5 of their rows).</li>
 *   <li>I6 before-images: every update's and delete's {@code before} equals the rebuilt row just before it.</li>
 *   <li>I7 liveness: {@link #awaitFence} — a fence row reaches Kafka within 30 s.</li>
 *   <li>I8 loud failure: {@link #assertLoudFailure} — a stopping pipeline exits non-zero in time, naming the cause.</li>
 * </ul>
 */
public final class Invariants {
    public static final Duration LIVENESS_BOUND = Duration.ofSeconds(30);

    /** One broken invariant: its id (I1…I8) and what was seen. */
    public record Violation(String invariant, String detail) {
        @Override
        public String toString() {
            return invariant + ": " + detail;
        }
    }

    /** What the source committed: GTID → row events, and how many commits were indeterminate. */
    public record Expected(Map<String, Integer> committed, int indeterminate) {
        public static Expected of(Workload workload) {
            return new Expected(workload.committed(), workload.indeterminate());
        }
    }

    private Invariants() {}

    /** Fails listing every violation of I1–I6. */
    public static void assertHold(List<Rec> records, Expected expected, Map<String, List<String>> sourceRows) {
        List<Violation> violations = check(records, expected, sourceRows);
        if (!violations.isEmpty()) {
            StringBuilder message = new StringBuilder(violations.size() + " invariant violation(s):");
            violations.stream().limit(40).forEach(v -> message.append("\n  ").append(v));
            fail(message.toString());
        }
    }

    /** I1–I6 over {@code records} (any order; sorted here into partition order). */
    public static List<Violation> check(List<Rec> records, Expected expected, Map<String, List<String>> sourceRows) {
        List<Rec> changes = new ArrayList<>();
        for (Rec r : records) {
            if (r.isChange()) {
                changes.add(r);
            }
        }
        changes.sort(Comparator.comparing(Rec::topic)
                .thenComparingInt(Rec::partition)
                .thenComparingLong(Rec::offset));
        List<Violation> violations = new ArrayList<>();
        noDuplicates(changes, violations);
        noLoss(changes, expected, violations);
        transactionsWhole(changes, expected, violations);
        Map<String, TableFold<RowImage>> rebuilt = replay(changes, violations);
        stateEqualsSource(rebuilt, sourceRows, violations);
        return violations;
    }

    // I1
    private static void noDuplicates(List<Rec> changes, List<Violation> violations) {
        Map<String, Integer> seen = new HashMap<>();
        for (Rec r : changes) {
            String id = r.gtid() + "#" + r.eventIndex();
            if (seen.merge(id, 1, Integer::sum) == 2) {
                violations.add(new Violation("I1", "event " + id + " appears more than once"));
            }
        }
    }

    // I2
    private static void noLoss(List<Rec> changes, Expected expected, List<Violation> violations) {
        Map<String, Integer> events = eventsPerGtid(changes);
        expected.committed().forEach((gtid, n) -> {
            if (!events.containsKey(gtid)) {
                violations.add(new Violation("I2", "committed transaction " + gtid + " (" + n + " events) is missing"));
            }
        });
    }

    // I4
    private static void transactionsWhole(List<Rec> changes, Expected expected, List<Violation> violations) {
        Map<String, TreeSet<Long>> indexes = new LinkedHashMap<>();
        for (Rec r : changes) {
            indexes.computeIfAbsent(r.gtid(), g -> new TreeSet<>()).add(r.eventIndex());
        }
        int unknown = 0;
        for (Map.Entry<String, TreeSet<Long>> e : indexes.entrySet()) {
            Integer n = expected.committed().get(e.getKey());
            TreeSet<Long> seen = e.getValue();
            boolean contiguous = seen.first() == 0 && seen.last() == seen.size() - 1;
            if (n == null) {
                unknown++;
                if (unknown > expected.indeterminate()) {
                    violations.add(new Violation(
                            "I4",
                            "transaction " + e.getKey() + " is not one the source "
                                    + "committed (aborted or foreign data)"));
                } else if (!contiguous) {
                    violations.add(new Violation(
                            "I4",
                            "indeterminate transaction " + e.getKey() + " is partial: " + "event indexes " + seen));
                }
            } else if (!contiguous || seen.size() != n) {
                violations.add(new Violation(
                        "I4",
                        "transaction " + e.getKey() + " is partial: " + seen.size() + " of " + n + " events, indexes "
                                + abbreviate(seen)));
            }
        }
    }

    /**
     * Folds each table's changes in partition order ({@link TableFold}: last image per key, a delete removes it),
     * checking I6 with the fold's outcome of each event and I3 beside it; returns the folds by table.
     */
    private static Map<String, TableFold<RowImage>> replay(List<Rec> changes, List<Violation> violations) {
        Map<String, TableFold<RowImage>> tables = new TreeMap<>();
        Map<String, Integer> lastVersion = new HashMap<>();
        java.util.Set<String> deleted = new java.util.HashSet<>();
        for (Rec r : changes) {
            String table = r.source().table();
            TableFold<RowImage> rows = tables.computeIfAbsent(table, t -> TableFold.ofImages(List.of("id")));
            String key = table + " key " + r.key();
            String where = " at " + r.topic() + "-" + r.partition() + "@" + r.offset() + " (" + r.gtid() + "#"
                    + r.eventIndex() + ")";
            if (deleted.contains(key)) {
                violations.add(new Violation("I3", key + " has an event after its delete" + where));
            }
            ChangeEvent event = r.event();
            RowImage current = rows.row(rows.keyOf(event.op() == Op.DELETE ? event.before() : event.after()));
            TableFold.Outcome outcome = rows.apply(event);
            if (outcome == TableFold.Outcome.INSERT_OF_LIVE_KEY) {
                violations.add(
                        new Violation("I6", key + " created while the rebuilt table already had " + current + where));
            } else if (!outcome.consistent()) {
                violations.add(new Violation(
                        "I6",
                        key + " before-image " + r.before() + " but the rebuilt row " + "was " + current + where));
            }
            if (event.op() == Op.DELETE) {
                deleted.add(key);
                continue;
            }
            int v = r.after().path("v").asInt();
            Integer previous = lastVersion.put(key, v);
            if (previous != null && v <= previous) {
                violations.add(new Violation("I3", key + " version went from " + previous + " to " + v + where));
            }
        }
        return tables;
    }

    // I5
    private static void stateEqualsSource(
            Map<String, TableFold<RowImage>> rebuilt,
            Map<String, List<String>> sourceRows,
            List<Violation> violations) {
        for (Map.Entry<String, List<String>> table : sourceRows.entrySet()) {
            List<String> fromTopics = new ArrayList<>();
            TableFold<RowImage> fold = rebuilt.get(table.getKey());
            if (fold != null) {
                fold.forEachRow((key, row) -> fromTopics.add(canonical(row)));
            }
            fromTopics.sort(Comparator.naturalOrder());
            List<String> fromSource = new ArrayList<>(table.getValue());
            fromSource.sort(Comparator.naturalOrder());
            if (!md5(fromTopics).equals(md5(fromSource))) {
                List<String> onlySource = new ArrayList<>(fromSource);
                onlySource.removeAll(fromTopics);
                List<String> onlyTopics = new ArrayList<>(fromTopics);
                onlyTopics.removeAll(fromSource);
                violations.add(new Violation(
                        "I5",
                        "table " + table.getKey() + " rebuilt from Kafka (md5 "
                                + md5(fromTopics) + ", " + fromTopics.size() + " rows) differs from the source (md5 "
                                + md5(fromSource) + ", " + fromSource.size() + " rows); only in source "
                                + abbreviate(onlySource) + ", only in Kafka " + abbreviate(onlyTopics)));
            }
        }
    }

    /** The workload tables of {@code db} read over JDBC, as canonical rows {@code id|v|payload}. */
    public static Map<String, List<String>> sourceRows(MariaDbServer server, String db) throws SQLException {
        Map<String, List<String>> tables = new TreeMap<>();
        try (Connection c = server.connect();
                Statement st = c.createStatement()) {
            for (String table : Workload.tables()) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT id, v, payload FROM " + db + "." + table)) {
                    while (rs.next()) {
                        rows.add(rs.getLong(1) + "|" + rs.getInt(2) + "|" + rs.getString(3));
                    }
                }
                tables.put(table, rows);
            }
        }
        return tables;
    }

    /** I7: writes a fence row and waits until a read_committed consumer has it; returns everything read. */
    public static List<Rec> awaitFence(Workload workload, TopicReader topics) throws SQLException {
        String fence = workload.fence();
        topics.readUntil(
                recs -> recs.stream().anyMatch(r -> fence.equals(r.gtid())),
                LIVENESS_BOUND,
                "I7: the fence transaction " + fence + " within " + LIVENESS_BOUND.toSeconds() + " s");
        // The fence is committed, so is everything before it: read every partition up to its end, not just the fence's.
        return topics.catchUp(LIVENESS_BOUND);
    }

    /** I8: the pipeline exits with {@code exitCode} within {@code bound} and its output names every fragment. */
    public static void assertLoudFailure(SluiceProcess pipeline, int exitCode, Duration bound, String... names)
            throws InterruptedException {
        int code = pipeline.awaitExit(bound);
        assertEquals(exitCode, code, "I8: exit code within " + bound.toSeconds() + " s; output:\n" + pipeline.output());
        for (String name : names) {
            assertTrue(pipeline.output().contains(name), "I8: the output names '" + name + "':\n" + pipeline.output());
        }
    }

    private static Map<String, Integer> eventsPerGtid(List<Rec> changes) {
        Map<String, Integer> events = new HashMap<>();
        changes.forEach(r -> events.merge(r.gtid(), 1, Integer::sum));
        return events;
    }

    private static String canonical(RowImage row) {
        return text(row, "id") + "|" + text(row, "v") + "|" + text(row, "payload");
    }

    /** A cell's text ({@code null} for NULL, as JDBC's rows print it); empty for a column the image lacks. */
    private static String text(RowImage row, String column) {
        JsonNode cell = row.get(column);
        return cell == null ? "" : cell.asText();
    }

    private static String md5(List<String> rows) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            for (String row : rows) {
                md.update(row.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return String.format("%032x", new BigInteger(1, md.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(java.util.Collection<?> items) {
        List<String> shown = items.stream().limit(5).map(String::valueOf).toList();
        return items.size() <= 5 ? shown.toString() : shown + " … (" + items.size() + ")";
    }
}
