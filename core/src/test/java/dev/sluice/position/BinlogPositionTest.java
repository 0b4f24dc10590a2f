package dev.sluice.position;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class BinlogPositionTest {
    private static BinlogPosition at(String gtids) {
        return BinlogPosition.atBoundary(GtidSet.parse(Flavor.MARIADB, gtids), "mysql-bin.000001", 4);
    }

    @Test
    void ordersByGtidContainmentThenEventsInsideTransaction() {
        BinlogPosition before = at("0-1-10");
        BinlogPosition inside3 = before.insideTransaction("0-1-11", 3);
        BinlogPosition inside7 = before.insideTransaction("0-1-11", 7);
        BinlogPosition after = before.afterTransaction("0-1-11", "mysql-bin.000001", 900);
        assertTrue(before.compareTo(inside3) < 0);
        assertTrue(inside3.compareTo(inside7) < 0);
        assertTrue(inside7.compareTo(after) < 0);
        assertEquals("0-1-11", after.gtids().toString());
        assertFalse(after.isInsideTransaction());
    }

    @Test
    void multipleDomainsCompareDomainByDomain() {
        assertTrue(at("0-1-10,1-2-5").compareTo(at("0-1-10,1-2-6")) < 0);
        assertTrue(at("0-1-10").compareTo(at("0-1-10,1-2-1")) < 0, "a new domain means later");
    }

    @Test
    void divergentHistoriesHaveNoOrder() {
        assertThrows(
                BinlogPosition.IncomparablePositionsException.class,
                () -> at("0-1-10,1-2-5").compareTo(at("0-1-11,1-2-4")));
    }

    @Test
    void persistedFormatRoundTrips() {
        BinlogPosition p = at("0-1-10,3-7-18446744073709551615").insideTransaction("0-1-11", 42);
        BinlogPosition back = PositionJson.read(PositionJson.write(p, Flavor.MARIADB, 1, 123));
        assertEquals(p, back);
        assertEquals(0, p.compareTo(back));
    }

    @Test
    void unknownFormatVersionIsRefused() {
        byte[] future = "{\"version\":2,\"flavor\":\"MARIADB\",\"gtids\":\"\"}".getBytes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PositionJson.read(future));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void mysqlGtidSetsUseServerFormat() {
        GtidSet set = GtidSet.parse(Flavor.MYSQL, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
        GtidSet next = set.with("3e11fa47-71ca-11e1-9e33-c80aa9429562:6");
        assertEquals("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-6", next.toString());
        assertTrue(set.isSubsetOf(next));
        assertFalse(next.isSubsetOf(set));
    }
}
