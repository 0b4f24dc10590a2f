package dev.sluice.position;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * MariaDB's GTID position: for each replication domain the last applied GTID {@code domain-server-seq}.
 * Within a domain sequence numbers only grow (the harness runs with {@code gtid_strict_mode=1}), so one
 * GTID per domain describes everything before it; this is exactly what {@code @@gtid_slave_pos} and
 * {@code @slave_connect_state} hold.
 */
public final class MariaDbGtidSet implements GtidSet {
    private final Map<Long, Gtid> lastByDomain;

    private MariaDbGtidSet(Map<Long, Gtid> lastByDomain) {
        this.lastByDomain = Collections.unmodifiableMap(lastByDomain);
    }

    static MariaDbGtidSet parse(String text) {
        Map<Long, Gtid> map = new TreeMap<>();
        for (String part : text.split(",")) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty()) {
                Gtid gtid = Gtid.parse(trimmed);
                map.merge(gtid.domain(), gtid, (a, b) -> a.sequence() >= b.sequence() ? a : b);
            }
        }
        return new MariaDbGtidSet(map);
    }

    @Override
    public Flavor flavor() {
        return Flavor.MARIADB;
    }

    @Override
    public MariaDbGtidSet with(String gtidText) {
        Gtid gtid = Gtid.parse(gtidText);
        Map<Long, Gtid> copy = new TreeMap<>(lastByDomain);
        copy.put(gtid.domain(), gtid);
        return new MariaDbGtidSet(copy);
    }

    @Override
    public boolean contains(String gtidText) {
        Gtid gtid = Gtid.parse(gtidText);
        Gtid last = lastByDomain.get(gtid.domain());
        return last != null && last.sequence() >= gtid.sequence();
    }

    @Override
    public boolean isSubsetOf(GtidSet other) {
        if (!(other instanceof MariaDbGtidSet o)) {
            return false;
        }
        for (Gtid mine : lastByDomain.values()) {
            Gtid theirs = o.lastByDomain.get(mine.domain());
            if (theirs == null || theirs.sequence() < mine.sequence()) {
                return false;
            }
        }
        return true;
    }

    /** The last GTID of {@code domain} in this set, or null when the set has none of that domain. */
    public Gtid last(long domain) {
        return lastByDomain.get(domain);
    }

    @Override
    public long ordinal() {
        long sum = 0;
        for (Gtid gtid : lastByDomain.values()) {
            sum = Math.addExact(sum, gtid.sequence());
        }
        return sum;
    }

    @Override
    public boolean isEmpty() {
        return lastByDomain.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariaDbGtidSet other && lastByDomain.equals(other.lastByDomain);
    }

    @Override
    public int hashCode() {
        return lastByDomain.hashCode();
    }

    @Override
    public String toString() {
        return lastByDomain.values().stream().map(Gtid::toString).collect(Collectors.joining(","));
    }

    /** One MariaDB GTID. */
    public record Gtid(long domain, long server, long sequence) {
        public static Gtid parse(String text) {
            String[] parts = text.trim().split("-");
            if (parts.length != 3) {
                throw new IllegalArgumentException("Not a MariaDB GTID (domain-server-sequence): '" + text + "'");
            }
            return new Gtid(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseUnsignedLong(parts[2]));
        }

        @Override
        public String toString() {
            return domain + "-" + server + "-" + Long.toUnsignedString(sequence);
        }
    }
}
