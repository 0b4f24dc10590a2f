package dev.sluice.load.postgresql;

import dev.sluice.load.LoadStats;
import dev.sluice.load.RowChange;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values one session loaded as NULL because PostgreSQL cannot hold them ({@code load.unrepresentable-values:
 * null}). They are counted in {@link LoadStats} only when their batch commits, so a batch rolled back and applied
 * again counts once; the first of each table and column is logged once per process ({@code logged} is shared by the
 * target's sessions).
 *
 * <p>Used by its session's thread; {@code logged} is a concurrent set.
 */
final class NulledValues {
    private static final Logger log = LoggerFactory.getLogger(NulledValues.class);

    private final LoadStats stats;
    private final Set<LoadStats.Column> logged;
    private final Map<LoadStats.Column, Long> pending = new HashMap<>();

    NulledValues(LoadStats stats, Set<LoadStats.Column> logged) {
        this.stats = stats;
        this.logged = logged;
    }

    /** A value of {@code column} of source table {@code table} is loaded as NULL; {@code what} describes it. */
    void nulled(String table, String column, RowChange.Origin origin, String what) {
        LoadStats.Column key = new LoadStats.Column(table, column);
        pending.merge(key, 1L, Long::sum);
        if (logged.add(key)) {
            log.warn(
                    "Loading NULL for {} in column '{}' of {} (first at {}); load.unrepresentable-values is null, "
                            + "so further ones are only counted (sluice_load_values_nulled)",
                    what,
                    column,
                    table,
                    origin);
        }
    }

    /** The batch committed: its NULLs count. */
    void committed() {
        pending.forEach(stats::valuesNulled);
        pending.clear();
    }

    /** The batch rolled back: nothing of it was written. */
    void rolledBack() {
        pending.clear();
    }
}
