package dev.sluice.load;

import dev.sluice.admin.AdminPages.Reading;
import dev.sluice.kafka.TopicNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A loader's part of {@code /status.json}: its group and workers, and per table the events loaded and the lag in
 * events and seconds. Field names are documented in docs/operations.md.
 */
final class LoadStatus {
    private final LoadStats stats;
    private final String group;
    private final int workers;
    private final TopicNames names;

    LoadStatus(LoadStats stats, String group, int workers, TopicNames names) {
        this.stats = stats;
        this.group = group;
        this.workers = workers;
        this.names = names;
    }

    Map<String, Object> loader(long nowMs) {
        Map<String, Object> loader = new LinkedHashMap<>();
        loader.put("group", group);
        loader.put("workers", workers);
        loader.put("workers_running", stats.workersRunning());
        loader.put("events", stats.events());
        loader.put("rows", stats.rows());
        loader.put("batches", stats.batches());
        loader.put("lag_records", stats.totalLag());
        loader.put("tables", tables(nowMs));
        return loader;
    }

    List<Reading> readings() {
        return List.of(
                new Reading("rows", stats.rows(), true),
                new Reading("events", stats.events(), true),
                new Reading("lag_records", stats.totalLag(), false));
    }

    /**
     * Every table loaded or with records waiting. The lag in seconds is the age of the newest change loaded while
     * records wait, and 0 once none does (an idle table is not behind).
     */
    private List<Map<String, Object>> tables(long nowMs) {
        Map<String, Long> lagByTable = new TreeMap<>();
        stats.lagByTopic()
                .forEach((topic, n) -> names.parse(topic)
                        .ifPresent(t -> lagByTable.merge(t.database() + "." + t.table(), n, Long::sum)));
        Map<String, LoadStats.TableStatus> loaded = stats.tables();
        TreeMap<String, Object> all = new TreeMap<>(lagByTable);
        all.putAll(loaded);
        List<Map<String, Object>> tables = new ArrayList<>();
        for (String name : all.keySet()) {
            LoadStats.TableStatus s = loaded.get(name);
            long lag = lagByTable.getOrDefault(name, 0L);
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("table", name);
            table.put("events", s == null ? 0 : s.events());
            table.put("lag_records", lag);
            table.put("lag_seconds", lagSeconds(s, lag, nowMs));
            table.put("last_applied", s == null ? null : s.lastAppliedAtMs());
            tables.add(table);
        }
        return tables;
    }

    private static Double lagSeconds(LoadStats.TableStatus s, long lagRecords, long nowMs) {
        if (lagRecords == 0) {
            return 0.0;
        }
        if (s == null || s.lastSourceTimeMs() == 0) {
            return null;
        }
        return Math.max(0, nowMs - s.lastSourceTimeMs()) / 1000.0;
    }
}
