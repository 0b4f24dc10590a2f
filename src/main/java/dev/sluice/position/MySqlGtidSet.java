package dev.sluice.position;

/**
 * MySQL's GTID set ({@code uuid:1-42:50-60,...}), kept as text and interpreted by the binlog client library's
 * {@link com.github.shyiko.mysql.binlog.GtidSet}, which is mutable and therefore copied on every change.
 * Designed for MySQL 8; the test suite runs on MariaDB only (no MySQL server is available on the CI machine).
 */
public final class MySqlGtidSet implements GtidSet {
    private final String text;

    private MySqlGtidSet(String text) {
        this.text = text;
    }

    static MySqlGtidSet parse(String text) {
        return new MySqlGtidSet(library(text).toString());
    }

    @Override
    public Flavor flavor() {
        return Flavor.MYSQL;
    }

    @Override
    public MySqlGtidSet with(String gtid) {
        com.github.shyiko.mysql.binlog.GtidSet copy = library(text);
        copy.add(gtid);
        return new MySqlGtidSet(copy.toString());
    }

    @Override
    public boolean contains(String gtid) {
        return library(gtid).isContainedWithin(library(text));
    }

    @Override
    public boolean isSubsetOf(GtidSet other) {
        return other instanceof MySqlGtidSet o && library(text).isContainedWithin(library(o.text));
    }

    @Override
    public boolean isEmpty() {
        return text.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MySqlGtidSet other && library(text).equals(library(other.text));
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static com.github.shyiko.mysql.binlog.GtidSet library(String text) {
        return new com.github.shyiko.mysql.binlog.GtidSet(text);
    }
}
