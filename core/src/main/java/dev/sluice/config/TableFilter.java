package dev.sluice.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which tables are captured: {@code database.table} glob patterns ({@code *}, {@code ?}), exclude wins over
 * include, and the server's system databases are never captured. Names are matched case-sensitively, as MySQL
 * does on Linux.
 */
public final class TableFilter {
    private static final Set<String> SYSTEM_DATABASES =
            Set.of("mysql", "sys", "information_schema", "performance_schema");

    private final List<Pattern> include;
    private final List<Pattern> exclude;
    private final List<Pattern> includeDatabases;

    public TableFilter(SluiceConfig.Filter filter) {
        this.include = filter.include().stream().map(TableFilter::glob).toList();
        this.exclude = filter.exclude().stream().map(TableFilter::glob).toList();
        this.includeDatabases = filter.include().stream()
                .map(p -> glob(p.contains(".") ? p.substring(0, p.indexOf('.')) : p))
                .toList();
    }

    public boolean captures(String database, String table) {
        if (SYSTEM_DATABASES.contains(database)) {
            return false;
        }
        String name = database + "." + table;
        return matchesAny(include, name) && !matchesAny(exclude, name);
    }

    /** Whether any table of this database may be captured; decides which DDL statements are published. */
    public boolean capturesDatabase(String database) {
        return database != null && !SYSTEM_DATABASES.contains(database) && matchesAny(includeDatabases, database);
    }

    private static boolean matchesAny(List<Pattern> patterns, String name) {
        for (Pattern p : patterns) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
