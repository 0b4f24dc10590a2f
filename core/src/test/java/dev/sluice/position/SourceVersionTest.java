package dev.sluice.position;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SourceVersionTest {
    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    @Test
    void mariaDbOrdinalGrowsWithEveryTransactionOfAnyDomain() {
        GtidSet set = GtidSet.parse(Flavor.MARIADB, "0-1-100,1-2-7");
        assertEquals(107, set.ordinal());
        assertEquals(108, set.with("0-1-101").ordinal());
        assertEquals(108, set.with("1-3-8").ordinal(), "a new server in a domain continues its sequence");
        assertEquals(118, set.with("2-1-11").ordinal(), "a new domain adds its own sequence");
        assertEquals(0, GtidSet.empty(Flavor.MARIADB).ordinal());
    }

    @Test
    void mySqlOrdinalCountsTheTransactions() {
        GtidSet set = GtidSet.parse(Flavor.MYSQL, UUID + ":1-5:8-9");
        assertEquals(7, set.ordinal());
        assertEquals(8, set.with(UUID + ":6").ordinal());
        assertEquals(8, set.with("0a1b2c3d-0000-4000-8000-000000000001:1").ordinal(), "a failover to a new source");
    }

    @Test
    void ordersByTransactionThenEventWithCopiesAfterTheirPosition() {
        SourceVersion change = SourceVersion.ofChange(107, 3);
        SourceVersion laterInSameTransaction = SourceVersion.ofChange(107, 4);
        SourceVersion copyAtThatPosition = SourceVersion.ofCopy(107);
        SourceVersion nextTransaction = SourceVersion.ofChange(108, 0);
        assertTrue(laterInSameTransaction.isAfter(change));
        assertTrue(copyAtThatPosition.isAfter(laterInSameTransaction));
        assertTrue(nextTransaction.isAfter(copyAtThatPosition));
        assertEquals(0, SourceVersion.ofCopy(107).compareTo(copyAtThatPosition), "two copies at one position");
        assertFalse(change.isAfter(change), "a replayed change is not newer than itself");
        assertEquals("107/copy", copyAtThatPosition.toString());
        assertThrows(IllegalArgumentException.class, () -> SourceVersion.ofChange(-1, 0));
    }
}
