package dev.sluice.admin;

import dev.sluice.admin.AdminPages.Reading;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last minutes of the status page's charts, kept in the process so a page opened now shows them at once. One
 * sample of every {@link Reading} per interval; a cumulative reading becomes its rate per second over the interval
 * before it (a counter that went down, after a restart of the stage, gives no point rather than a negative rate).
 */
final class StatusHistory {
    private record Sample(long atMs, List<Reading> readings) {}

    private final int capacity;
    private final Deque<Sample> samples = new ArrayDeque<>();

    StatusHistory(int capacity) {
        this.capacity = capacity;
    }

    synchronized void record(long nowMs, List<Reading> readings) {
        samples.addLast(new Sample(nowMs, List.copyOf(readings)));
        while (samples.size() > capacity + 1) { // one more: the first rate needs the sample before it
            samples.removeFirst();
        }
    }

    /**
     * {@code {"times": [ms...], "series": {name: [value or null...]}}}, oldest first, one entry per sample after
     * the first.
     */
    synchronized Map<String, Object> toJson() {
        List<Long> times = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        Sample previous = null;
        for (Sample s : samples) {
            if (previous != null) {
                times.add(s.atMs());
                for (Reading r : s.readings()) {
                    series.computeIfAbsent(r.name(), k -> new ArrayList<>(nullsFor(times.size() - 1)))
                            .add(pointOf(r, previous, s));
                }
                padMissing(series, times.size());
            }
            previous = s;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("times", times);
        json.put("series", series);
        return json;
    }

    private static Double pointOf(Reading r, Sample before, Sample now) {
        if (Double.isNaN(r.value()) || Double.isInfinite(r.value())) {
            return null;
        }
        if (!r.cumulative()) {
            return r.value();
        }
        Double earlier = valueOf(before, r.name());
        double seconds = (now.atMs() - before.atMs()) / 1000.0;
        if (earlier == null || r.value() < earlier || seconds <= 0) {
            return null;
        }
        return (r.value() - earlier) / seconds;
    }

    private static Double valueOf(Sample s, String name) {
        for (Reading r : s.readings()) {
            if (r.name().equals(name) && !Double.isNaN(r.value())) {
                return r.value();
            }
        }
        return null;
    }

    private static List<Double> nullsFor(int n) {
        List<Double> nulls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            nulls.add(null);
        }
        return nulls;
    }

    /** A reading that appeared only in some samples (a table loaded later) keeps every series as long as times. */
    private static void padMissing(Map<String, List<Double>> series, int length) {
        series.values().forEach(points -> {
            while (points.size() < length) {
                points.add(null);
            }
        });
    }
}
