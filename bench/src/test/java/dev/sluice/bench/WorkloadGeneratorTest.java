package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.bench.Backlog.Change;
import dev.sluice.bench.Backlog.Transaction;
import dev.sluice.event.Op;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The generators' bookkeeping without a server: what each workload declares it writes (rows per op and table, the
 * transaction shapes) and the ledger built from it. The server's side (every statement changes the rows it declares)
 * is checked by Backlog.write itself and by WorkloadCheckTest.
 */
class WorkloadGeneratorTest {
    private static final Pattern RANGE = Pattern.compile("BETWEEN (\\d+) AND (\\d+)");
    private static final Pattern KEY = Pattern.compile("WHERE id = (\\d+)$");

    private static List<Transaction> transactions(Backlog.Generator g) throws Exception {
        List<Transaction> out = new ArrayList<>();
        g.write(out::add);
        return out;
    }

    private static Ledger ledger(Backlog.Generator g, List<Transaction> transactions) {
        Ledger ledger = new Ledger(g.tables().size());
        transactions.forEach(ledger::record);
        return ledger;
    }

    @Test
    void w1WritesOneRowPerTransactionWithIdsInCommitOrder() throws Exception {
        Backlog.Generator g = Workload.W1.generator(new Workload.Size(1_000, 0, 0));
        List<Transaction> txs = transactions(g);
        assertEquals(1_000, txs.size());
        assertTrue(txs.stream().allMatch(t -> t.changes().size() == 1 && t.rowChanges() == 1));
        assertTrue(
                txs.get(999).changes().get(0).sql().startsWith("INSERT INTO bench.rows (id, payload) VALUES (1000, "));
        Ledger ledger = ledger(g, txs);
        assertEquals(List.of(new OpCounts(1_000, 0, 0)), ledger.written());
        assertEquals(1_000, ledger.eventsUpTo()[999]);
    }

    @Test
    void w2PutsItsLargeTransactionHalfwayAndTheLedgerNamesItsGtid() throws Exception {
        Backlog.Generator g = Workload.W2.generator(new Workload.Size(1_050, 5_000, 0));
        List<Transaction> txs = transactions(g);
        // 11 transactions of 100 rows and one of 50 around one of 5,000 rows after the first 600 (>= half of 1,050).
        assertEquals(12, txs.size());
        assertEquals(5_000, txs.get(6).rowChanges());
        assertTrue(
                txs.get(6).changes().get(0).sql().endsWith("FROM bench.seq_601_to_5600"),
                txs.get(6).toString());
        assertTrue(txs.get(7).changes().get(0).sql().endsWith("FROM bench.seq_5601_to_5700"));
        assertEquals(50, txs.get(11).rowChanges());
        Ledger ledger = ledger(g, txs);
        assertEquals(new OpCounts(6_050, 0, 0), ledger.written().get(0));
        assertEquals(new Backlog.Largest("0-1-16", 5_000), ledger.largest(0, 1, 10));
        assertEquals(5_600, ledger.eventsUpTo()[6]);
    }

    @Test
    void mixInterleavesItsShareOfOneRowTransactions() throws Exception {
        List<Transaction> txs = transactions(Workload.MIX.generator(new Workload.Size(10_000, 0, 0.1)));
        assertEquals(1_000 + 90, txs.size());
        assertEquals(1_000, txs.stream().filter(t -> t.rowChanges() == 1).count());
        // Evenly: a 100-row transaction within every dozen transactions, not all of them at the end.
        assertTrue(txs.subList(0, 24).stream().anyMatch(t -> t.rowChanges() == 100));
        assertEquals(10_000, txs.stream().mapToLong(Transaction::rowChanges).sum());
    }

    @Test
    void w3InsertsTenWideRowsPerTransactionAndComparesDebeziumOnTheColumnsItWritesAsText() throws Exception {
        Backlog.Generator g = Workload.W3.generator(new Workload.Size(95, 0, 0));
        List<Transaction> txs = transactions(g);
        assertEquals(10, txs.size());
        assertEquals(5, txs.get(9).rowChanges());
        BacklogTable t = g.tables().get(0);
        assertEquals(15, t.columns(Representation.SLUICE).size());
        assertEquals(
                List.of("id", "small", "qty", "customer", "doc", "name", "note", "status", "active"),
                t.columns(Representation.DEBEZIUM).stream()
                        .map(CheckedColumn::name)
                        .toList());
    }

    @Test
    void w4UpdatesOnlyKeysItNeverDeletesAndDeletesEachOnce() throws Exception {
        Backlog.Generator g = Workload.W4.generator(new Workload.Size(30_000, 0, 0));
        List<Transaction> txs = transactions(g);
        Ledger ledger = ledger(g, txs);
        // 3,000 keys, a fifth of them deleted, the rest of the events updates.
        assertEquals(new OpCounts(3_000, 26_400, 600), ledger.written().get(0));
        long updatable = 3_000 - 600;
        Set<Long> deleted = new HashSet<>();
        boolean twiceInOne = false;
        for (Transaction t : txs) {
            for (Change c : t.changes()) {
                if (c.op() == Op.UPDATE) {
                    long[] keys = keys(c.sql());
                    assertTrue(keys[0] >= 1 && keys[1] <= updatable, c.sql());
                    assertEquals(c.rows(), keys[1] - keys[0] + 1);
                } else if (c.op() == Op.DELETE) {
                    long[] keys = keys(c.sql());
                    for (long k = keys[0]; k <= keys[1]; k++) {
                        assertTrue(k > updatable && deleted.add(k), c.sql());
                    }
                }
            }
            twiceInOne |= t.changes().size() == 2
                    && t.changes().get(0).equals(t.changes().get(1));
        }
        assertEquals(600, deleted.size());
        assertTrue(twiceInOne, "some transaction updates one row twice");
        // Deletes are spread over the update phase, not bunched at one end.
        int firstDelete = indexOf(txs, Op.DELETE);
        assertTrue(firstDelete < 100 && lastIndexOf(txs, Op.DELETE) > txs.size() * 9 / 10);
    }

    @Test
    void w5RowsAreFourToSixteenKilobytes() throws Exception {
        Backlog.Generator g = Workload.W5.generator(new Workload.Size(20, 0, 0));
        assertEquals(2, transactions(g).size());
        assertEquals("LEFT(REPEAT(SHA2(seq, 512), 129), 4096 + (seq * 7919) % 12289)", LargeRows.body("seq"));
        assertTrue(129 * 128 >= LargeRows.MAX_BYTES && 4096 + 12288 == LargeRows.MAX_BYTES);
    }

    @Test
    void w6SpreadsEachTransactionOverFourTablesAndEveryTableGetsItsShare() throws Exception {
        Backlog.Generator g = Workload.W6.generator(new Workload.Size(20_000, 0, 0));
        List<Transaction> txs = transactions(g);
        assertEquals(1_000, txs.size());
        assertEquals(100, g.tables().size());
        assertEquals("bench.t007", g.tables().get(7).qualifiedName());
        for (Transaction t : txs) {
            assertEquals(4, t.changes().stream().map(Change::table).distinct().count());
        }
        Ledger ledger = ledger(g, txs);
        assertTrue(
                ledger.written().stream().allMatch(w -> w.equals(new OpCounts(200, 0, 0))),
                ledger.written().toString());
        // Each table's ids run 1..200 with no gap: the statements for table 0 start at 1, 6, 11, ...
        List<String> table0 = txs.stream()
                .flatMap(t -> t.changes().stream())
                .filter(c -> c.table() == 0)
                .map(Change::sql)
                .toList();
        assertTrue(table0.get(1).contains("bench.seq_6_to_10"), table0.get(1));
    }

    @Test
    void w7AltersHalfwayAndUpdatesOlderRowsOnlyOnce() throws Exception {
        Backlog.Generator g = Workload.W7.generator(new Workload.Size(10_000, 0, 0));
        List<Transaction> txs = transactions(g);
        int alter = -1;
        for (int i = 0; i < txs.size(); i++) {
            if (txs.get(i).changes().get(0).op() == null) {
                alter = i;
            }
        }
        assertEquals(50, alter, "after 5,000 rows in 100-row transactions");
        assertEquals(AlterHalfway.ALTER, txs.get(alter).changes().get(0).sql());
        Ledger ledger = ledger(g, txs);
        OpCounts w = ledger.written().get(0);
        assertEquals(10_000, w.total());
        assertTrue(w.updates() >= 50 && w.updates() % 10 == 0, w.toString());
        Set<Long> updated = new HashSet<>();
        for (Transaction t : txs.subList(alter + 1, txs.size())) {
            Change c = t.changes().get(0);
            if (c.op() == Op.UPDATE) {
                long[] keys = keys(c.sql());
                for (long k = keys[0]; k <= keys[1]; k++) {
                    assertTrue(k <= 5_000 && updated.add(k), c.sql());
                }
            } else {
                assertTrue(c.sql().startsWith("INSERT INTO bench.rows (id, note, payload)"), c.sql());
            }
        }
        // The DDL is a transaction (a GTID) without row changes: the running total does not move over it.
        assertEquals(ledger.eventsUpTo()[alter - 1], ledger.eventsUpTo()[alter]);
        assertEquals(
                List.of("id", "note", "payload"),
                g.tables().get(0).columns().stream().map(CheckedColumn::name).toList());
    }

    @Test
    void everyWorkloadFirstColumnIsItsIntegerKeyAndItsDefaultSizeIsPositive() {
        for (Workload w : Workload.values()) {
            Backlog.Generator g = w.generator(Workload.Size.DEFAULTS);
            assertFalse(g.tables().isEmpty());
            assertEquals("id", g.tables().get(0).columns().get(0).name());
            assertTrue(w.events(Workload.Size.DEFAULTS) > 0);
        }
        assertEquals(
                List.of(Workload.W1, Workload.W2, Workload.W3, Workload.W4, Workload.W5, Workload.W6, Workload.W7),
                Workload.ALL);
    }

    @Test
    void theLedgerCountsEventsUpToEachTransaction() {
        Ledger ledger = new Ledger(2);
        ledger.record(Transaction.of(Change.insert(0, 3, "i"), Change.insert(1, 2, "i")));
        ledger.record(Transaction.of(Change.ddl("ALTER")));
        ledger.record(Transaction.of(Change.update(1, 4, "u"), Change.delete(0, 1, "d")));
        assertArrayEquals(new long[] {5, 5, 10}, ledger.eventsUpTo());
        assertEquals(List.of(new OpCounts(3, 0, 1), new OpCounts(2, 4, 0)), ledger.written());
        // The first of two equally large transactions.
        assertEquals(new Backlog.Largest("0-1-100", 5), ledger.largest(0, 1, 100));
    }

    private static long[] keys(String sql) {
        Matcher range = RANGE.matcher(sql);
        if (range.find()) {
            return new long[] {Long.parseLong(range.group(1)), Long.parseLong(range.group(2))};
        }
        Matcher key = KEY.matcher(sql);
        assertTrue(key.find(), sql);
        return new long[] {Long.parseLong(key.group(1)), Long.parseLong(key.group(1))};
    }

    private static int indexOf(List<Transaction> txs, Op op) {
        for (int i = 0; i < txs.size(); i++) {
            if (txs.get(i).changes().get(0).op() == op) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<Transaction> txs, Op op) {
        for (int i = txs.size() - 1; i >= 0; i--) {
            if (txs.get(i).changes().get(0).op() == op) {
                return i;
            }
        }
        return -1;
    }
}
