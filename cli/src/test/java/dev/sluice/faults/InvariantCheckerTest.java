package dev.sluice.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.Invariants;
import dev.sluice.testkit.Invariants.Expected;
import dev.sluice.testkit.Invariants.Violation;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import dev.sluice.testkit.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * T01: the seeded workload through a fault-free pipeline satisfies I1–I7; then a copy of the output is corrupted
 * (an event dropped, duplicated, swapped, altered; a transaction dropped; foreign data added) and each corruption
 * must be caught by the invariant that names it. A checker that cannot fail proves nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvariantCheckerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private List<Rec> output;
    private Expected expected;
    private Map<String, List<String>> source;

    @BeforeAll
    void runTheWorkloadWithoutFaults() throws Exception {
        long seed = Long.getLong("sluice.test.seed", System.nanoTime());
        System.out.println("InvariantCheckerTest seed " + seed);
        MariaDbServer server = TestServers.mariadb114();
        Workload workload = new Workload(server, TestServers.uniqueName("inv"), seed);
        workload.createTables();
        String db = workload.database();
        try (TopicReader topics = new TopicReader(
                        TestServers.kafka().bootstrapServers(),
                        Pattern.compile(Pattern.quote("t_" + db + "." + db + ".") + ".*"));
                InProcessPipeline pipeline =
                        InProcessPipeline.start(TestConfigs.build(TestConfigs.forDatabase(server, db)))) {
            workload.runTransactions(150);
            Invariants.awaitFence(workload, topics);
            output = topics.drain(Duration.ofMillis(300));
        }
        expected = Expected.of(workload);
        source = Invariants.sourceRows(server, db);
    }

    @Test
    void theUncorruptedOutputSatisfiesEveryInvariant() {
        Invariants.assertHold(output, expected, source);
    }

    @Test
    void aDuplicatedEventIsCaughtByI1() {
        Rec victim = changes().get(changes().size() / 2);
        List<Rec> corrupted = new ArrayList<>(output);
        corrupted.add(new Rec(victim.topic(), victim.partition(), Long.MAX_VALUE, victim.key(), victim.valueBytes()));
        assertCaught("I1", corrupted, expected);
    }

    @Test
    void aDroppedTransactionIsCaughtByI2() {
        String gtid = changes().get(changes().size() / 3).gtid();
        List<Rec> corrupted = new ArrayList<>(output);
        corrupted.removeIf(r -> gtid.equals(r.gtid()));
        assertCaught("I2", corrupted, expected);
    }

    @Test
    void twoSwappedUpdatesOfOneKeyAreCaughtByI3() {
        List<Rec> updates = twoUpdatesOfOneKey();
        Rec first = updates.get(0);
        Rec second = updates.get(1);
        List<Rec> corrupted = new ArrayList<>(output);
        corrupted.set(output.indexOf(first), withOffset(first, second.offset()));
        corrupted.set(output.indexOf(second), withOffset(second, first.offset()));
        assertCaught("I3", corrupted, expected);
    }

    @Test
    void oneDroppedEventOfATransactionIsCaughtByI4() {
        Rec victim = eventOfATransactionWithSeveralEvents();
        List<Rec> corrupted = new ArrayList<>(output);
        corrupted.remove(victim);
        assertCaught("I4", corrupted, expected);
    }

    @Test
    void dataOfATransactionTheSourceNeverCommittedIsCaughtByI4() {
        Rec template = changes().get(0);
        List<Rec> corrupted = new ArrayList<>(output);
        corrupted.add(new Rec(
                template.topic(), template.partition(), Long.MAX_VALUE, "{\"id\":-1}", edit(template.value(), v -> {
                    ((ObjectNode) v.get("source")).put("gtid", "0-1-999999999");
                    ((ObjectNode) v.get("after")).put("id", -1);
                    return v;
                })));
        assertCaught("I4", corrupted, expected);
    }

    @Test
    void aChangedValueIsCaughtByI5() {
        Rec last = lastEventOfALiveRow();
        List<Rec> corrupted = new ArrayList<>(output);
        corrupted.set(
                output.indexOf(last),
                new Rec(last.topic(), last.partition(), last.offset(), last.key(), edit(last.value(), v -> {
                    ((ObjectNode) v.get("after")).put("payload", "changed in flight");
                    return v;
                })));
        assertCaught("I5", corrupted, expected);
    }

    @Test
    void aWrongBeforeImageIsCaughtByI6() {
        Rec update = twoUpdatesOfOneKey().get(1);
        List<Rec> corrupted = new ArrayList<>(output);
        corrupted.set(
                output.indexOf(update),
                new Rec(update.topic(), update.partition(), update.offset(), update.key(), edit(update.value(), v -> {
                    ((ObjectNode) v.get("before")).put("payload", "not what it was");
                    return v;
                })));
        assertCaught("I6", corrupted, expected);
    }

    private void assertCaught(String invariant, List<Rec> corrupted, Expected expectation) {
        List<Violation> violations = Invariants.check(corrupted, expectation, source);
        assertTrue(
                violations.stream().anyMatch(v -> v.invariant().equals(invariant)),
                invariant + " must catch this corruption; the checker reported " + violations);
    }

    private List<Rec> changes() {
        return output.stream().filter(Rec::isChange).toList();
    }

    private List<Rec> twoUpdatesOfOneKey() {
        Map<String, List<Rec>> updatesByKey = new LinkedHashMap<>();
        for (Rec r : changes()) {
            if (r.op().equals("u")) {
                List<Rec> updates = updatesByKey.computeIfAbsent(r.topic() + r.key(), k -> new ArrayList<>());
                updates.add(r);
                if (updates.size() == 2) {
                    return updates;
                }
            }
        }
        throw new AssertionError("the workload produced no key with two updates");
    }

    private Rec eventOfATransactionWithSeveralEvents() {
        String gtid = expected.committed().entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .findFirst()
                .orElseThrow()
                .getKey();
        return changes().stream()
                .filter(r -> r.gtid().equals(gtid) && r.eventIndex() == 1)
                .findFirst()
                .orElseThrow();
    }

    private Rec lastEventOfALiveRow() {
        Map<String, Rec> last = new HashMap<>();
        changes().forEach(r -> last.put(r.topic() + r.key(), r));
        return last.values().stream()
                .filter(r -> !r.op().equals("d"))
                .findFirst()
                .orElseThrow();
    }

    private static Rec withOffset(Rec r, long offset) {
        return new Rec(r.topic(), r.partition(), offset, r.key(), r.valueBytes());
    }

    /** A copy of the record's value with {@code change} applied, as bytes for a corrupted record. */
    private static byte[] edit(JsonNode value, UnaryOperator<JsonNode> change) {
        try {
            return JSON.writeValueAsBytes(change.apply(value.deepCopy()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theWorkloadRecordedEveryCommit() {
        assertEquals(151, expected.committed().size(), "150 transactions and the fence");
    }
}
