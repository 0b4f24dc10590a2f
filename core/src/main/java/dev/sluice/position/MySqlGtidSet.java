package dev.sluice.position;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * MySQL's GTID set: for each source server UUID (and, from MySQL 8.3, each tag) the transaction numbers it holds, as
 * closed intervals ({@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42:50-60,...}; tagged: {@code uuid:1-5:tag:1-3}).
 * Kept normalized (sources ordered, intervals sorted and merged), so two sets that hold the same transactions are
 * equal and print the same text, whatever order the server listed them in. Designed for MySQL 8; the test suite runs
 * on MariaDB only (no MySQL server is available on the CI machine), and checks this class against the binlog client
 * library's own GTID set.
 */
public final class MySqlGtidSet implements GtidSet {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern TAG = Pattern.compile("[a-z_][a-z0-9_]{0,31}");

    /** Key: {@code uuid} or {@code uuid:tag}; value: sorted, disjoint, non-adjacent intervals. */
    private final Map<String, List<Interval>> sources;

    private MySqlGtidSet(Map<String, List<Interval>> sources) {
        this.sources = Collections.unmodifiableMap(sources);
    }

    static MySqlGtidSet parse(String text) {
        TreeMap<String, List<Interval>> sources = new TreeMap<>();
        for (String uuidSet : text.replace("\n", "").split(",")) {
            if (!uuidSet.isBlank()) {
                addUuidSet(sources, uuidSet.trim());
            }
        }
        sources.replaceAll((source, intervals) -> normalized(intervals));
        return new MySqlGtidSet(sources);
    }

    private static void addUuidSet(Map<String, List<Interval>> sources, String uuidSet) {
        String[] parts = uuidSet.split(":");
        String uuid = uuid(parts[0], uuidSet);
        String source = uuid;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim().toLowerCase(Locale.ROOT);
            if (TAG.matcher(part).matches()) {
                source = uuid + ":" + part;
            } else {
                sources.computeIfAbsent(source, s -> new ArrayList<>()).add(Interval.parse(part, uuidSet));
            }
        }
    }

    private static String uuid(String text, String context) {
        String uuid = text.trim().toLowerCase(Locale.ROOT);
        if (!UUID_TEXT.matcher(uuid).matches()) {
            throw new IllegalArgumentException("Not a MySQL GTID set (uuid:interval[:interval]...): '" + context + "'");
        }
        return uuid;
    }

    private static List<Interval> normalized(List<Interval> intervals) {
        List<Interval> sorted = new ArrayList<>(intervals);
        sorted.sort(null);
        List<Interval> merged = new ArrayList<>(sorted.size());
        for (Interval next : sorted) {
            Interval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && next.start() <= last.end() + 1) {
                merged.set(merged.size() - 1, new Interval(last.start(), Math.max(last.end(), next.end())));
            } else {
                merged.add(next);
            }
        }
        return List.copyOf(merged);
    }

    @Override
    public Flavor flavor() {
        return Flavor.MYSQL;
    }

    /** {@code gtid} is {@code uuid:n} or, tagged, {@code uuid:tag:n}. */
    @Override
    public MySqlGtidSet with(String gtid) {
        Single one = Single.parse(gtid);
        if (contains(one)) {
            return this;
        }
        TreeMap<String, List<Interval>> copy = new TreeMap<>(sources);
        List<Interval> intervals = new ArrayList<>(copy.getOrDefault(one.source(), List.of()));
        intervals.add(new Interval(one.number(), one.number()));
        copy.put(one.source(), normalized(intervals));
        return new MySqlGtidSet(copy);
    }

    @Override
    public boolean contains(String gtid) {
        return contains(Single.parse(gtid));
    }

    private boolean contains(Single one) {
        for (Interval i : sources.getOrDefault(one.source(), List.of())) {
            if (i.start() <= one.number() && one.number() <= i.end()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isSubsetOf(GtidSet other) {
        if (!(other instanceof MySqlGtidSet o)) {
            return false;
        }
        for (Map.Entry<String, List<Interval>> mine : sources.entrySet()) {
            List<Interval> theirs = o.sources.getOrDefault(mine.getKey(), List.of());
            for (Interval interval : mine.getValue()) {
                if (theirs.stream().noneMatch(t -> t.start() <= interval.start() && interval.end() <= t.end())) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public long ordinal() {
        long count = 0;
        for (List<Interval> intervals : sources.values()) {
            for (Interval i : intervals) {
                count = Math.addExact(count, i.end() - i.start() + 1);
            }
        }
        return count;
    }

    @Override
    public boolean isEmpty() {
        return sources.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MySqlGtidSet other && sources.equals(other.sources);
    }

    @Override
    public int hashCode() {
        return sources.hashCode();
    }

    /** MySQL's own text: {@code uuid:1-5:7,uuid2:1-3}, a tag's intervals after the tag: {@code uuid:1-5:tag:1-3}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        String uuid = null;
        for (Map.Entry<String, List<Interval>> source : sources.entrySet()) {
            String key = source.getKey();
            String sourceUuid = key.substring(0, 36);
            if (!sourceUuid.equals(uuid)) {
                out.append(uuid == null ? "" : ",").append(sourceUuid);
                uuid = sourceUuid;
            }
            if (key.length() > 36) {
                out.append(key.substring(36));
            }
            source.getValue().forEach(i -> out.append(':').append(i));
        }
        return out.toString();
    }

    /** A closed interval of transaction numbers (each at least 1). */
    private record Interval(long start, long end) implements Comparable<Interval> {
        static Interval parse(String text, String context) {
            String[] bounds = text.split("-");
            try {
                long start = Long.parseLong(bounds[0].trim());
                long end = bounds.length == 1 ? start : Long.parseLong(bounds[1].trim());
                if (bounds.length > 2 || start < 1 || end < start) {
                    throw new NumberFormatException(text);
                }
                return new Interval(start, end);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "Not a GTID interval (n or n-m, 1 <= n <= m): '" + text + "' in '" + context + "'");
            }
        }

        @Override
        public int compareTo(Interval o) {
            return start != o.start ? Long.compare(start, o.start) : Long.compare(end, o.end);
        }

        @Override
        public String toString() {
            return start == end ? Long.toString(start) : start + "-" + end;
        }
    }

    /** One transaction: {@code uuid:n} or {@code uuid:tag:n}. */
    private record Single(String source, long number) {
        static Single parse(String gtid) {
            String[] parts = gtid.trim().split(":");
            if (parts.length < 2 || parts.length > 3) {
                throw new IllegalArgumentException("Not a MySQL GTID (uuid:n or uuid:tag:n): '" + gtid + "'");
            }
            String source = uuid(parts[0], gtid);
            if (parts.length == 3) {
                String tag = parts[1].trim().toLowerCase(Locale.ROOT);
                if (!TAG.matcher(tag).matches()) {
                    throw new IllegalArgumentException("Not a MySQL GTID tag: '" + parts[1] + "' in '" + gtid + "'");
                }
                source = source + ":" + tag;
            }
            Interval one = Interval.parse(parts[parts.length - 1], gtid);
            if (one.start() != one.end()) {
                throw new IllegalArgumentException("Not a single MySQL GTID: '" + gtid + "'");
            }
            return new Single(source, one.start());
        }
    }
}
