package dev.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.position.Flavor;
import dev.sluice.position.GtidSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sluice's MySQL GTID set (in core, which must not depend on the binlog library) against the library's own, which the
 * binlog client is handed when it reconnects: on random sets, both must agree on every question the pipeline asks.
 */
class MySqlGtidSetTruthTest {
    private static final List<String> UUIDS = List.of(
            "3e11fa47-71ca-11e1-9e33-c80aa9429562",
            "0a1b2c3d-0000-4000-8000-000000000001",
            "ffffffff-ffff-4fff-bfff-ffffffffffff");

    @Test
    void agreesWithTheBinlogLibraryOnRandomSets() {
        Random random = new Random(20261205);
        for (int round = 0; round < 2_000; round++) {
            String a = randomSet(random);
            String b = randomSet(random);
            GtidSet ours = GtidSet.parse(Flavor.MYSQL, a);
            GtidSet theirsOther = GtidSet.parse(Flavor.MYSQL, b);
            com.github.shyiko.mysql.binlog.GtidSet library = new com.github.shyiko.mysql.binlog.GtidSet(a);
            com.github.shyiko.mysql.binlog.GtidSet libraryOther = new com.github.shyiko.mysql.binlog.GtidSet(b);
            String context = a + " vs " + b;
            assertEquals(library.isContainedWithin(libraryOther), ours.isSubsetOf(theirsOther), context);
            assertEquals(library, new com.github.shyiko.mysql.binlog.GtidSet(ours.toString()), "text of " + a);
            for (int i = 0; i < 20; i++) {
                String gtid = UUIDS.get(random.nextInt(UUIDS.size())) + ":" + (1 + random.nextInt(60));
                boolean libraryHas = new com.github.shyiko.mysql.binlog.GtidSet(gtid).isContainedWithin(library);
                assertEquals(libraryHas, ours.contains(gtid), gtid + " in " + a);
                library.add(gtid);
                ours = ours.with(gtid);
                assertEquals(
                        library, new com.github.shyiko.mysql.binlog.GtidSet(ours.toString()), "after adding " + gtid);
            }
        }
    }

    /** Sorted, disjoint, non-adjacent intervals: the form a server prints and the library's parser expects. */
    private static String randomSet(Random random) {
        List<String> uuidSets = new ArrayList<>();
        for (String uuid : UUIDS) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            StringBuilder set = new StringBuilder(uuid);
            long next = 1 + random.nextInt(5);
            int intervals = 1 + random.nextInt(4);
            for (int i = 0; i < intervals; i++) {
                long end = next + random.nextInt(8);
                set.append(':').append(next).append(end == next ? "" : "-" + end);
                next = end + 2 + random.nextInt(6);
            }
            uuidSets.add(set.toString());
        }
        return String.join(",", uuidSets);
    }
}
