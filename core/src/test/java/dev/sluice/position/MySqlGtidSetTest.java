package dev.sluice.position;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MySqlGtidSetTest {
    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "0a1b2c3d-0000-4000-8000-000000000001";

    @Test
    void theSameTransactionsInAnyOrderAreEqualAndPrintTheSame() {
        GtidSet listed = GtidSet.parse(Flavor.MYSQL, A + ":7-9:1-5:6," + B.toUpperCase() + ":3");
        GtidSet normal = GtidSet.parse(Flavor.MYSQL, B + ":3,\n" + A + ":1-9");
        assertEquals(normal, listed);
        assertEquals(B + ":3," + A + ":1-9", listed.toString());
    }

    @Test
    void addingFillsGapsAndMergesNeighbours() {
        GtidSet set = GtidSet.parse(Flavor.MYSQL, A + ":1-3:5-7");
        assertFalse(set.contains(A + ":4"));
        GtidSet filled = set.with(A + ":4");
        assertEquals(A + ":1-7", filled.toString());
        assertTrue(filled.contains(A + ":4"));
        assertTrue(set.isSubsetOf(filled));
        assertFalse(filled.isSubsetOf(set));
        assertEquals(A + ":1-3:5-7", set.toString(), "immutable");
    }

    @Test
    void taggedTransactionsAreTheirOwnSequence() {
        GtidSet set = GtidSet.parse(Flavor.MYSQL, A + ":1-5:Batch:1-3");
        assertTrue(set.contains(A + ":batch:2"));
        assertFalse(set.contains(A + ":other:2"));
        assertEquals(A + ":1-5:batch:1-4", set.with(A + ":batch:4").toString());
        assertFalse(GtidSet.parse(Flavor.MYSQL, A + ":batch:1").isSubsetOf(GtidSet.parse(Flavor.MYSQL, A + ":1")));
    }

    @Test
    void malformedTextIsRefusedNamingIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GtidSet.parse(Flavor.MYSQL, A + ":5-2"));
        assertTrue(e.getMessage().contains("5-2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GtidSet.parse(Flavor.MYSQL, "not-a-uuid:1"));
        assertThrows(
                IllegalArgumentException.class,
                () -> GtidSet.parse(Flavor.MYSQL, A + ":1").with(A + ":0"));
    }
}
