package dev.sluice.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The target tables of the hand-written loaders, created by the harness before they start (a hand-written loader's
 * tables exist already): each backlog table in the schema named after its database, with the PostgreSQL type
 * docs/load.md gives each source type, so the hand-written loaders write the same column types as Sluice's. Covers
 * the types the load workloads use.
 */
final class BaselineTargets {
    private static final Pattern DISPLAY_WIDTH = Pattern.compile("^(tinyint|smallint|mediumint|int|bigint)\\(\\d+\\)");
    private static final Pattern SIZED = Pattern.compile("^(decimal|varchar|datetime|bit)\\((\\d+)(?:,(\\d+))?\\)$");

    private BaselineTargets() {}

    static void create(Connection mariadb, Connection target, List<BacklogTable> tables) throws SQLException {
        try (Statement st = target.createStatement()) {
            for (String schema :
                    tables.stream().map(BacklogTable::database).distinct().toList()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + BaselineTable.quote(schema));
            }
            for (BacklogTable t : tables) {
                st.execute(ddl(mariadb, t));
            }
        }
    }

    private static String ddl(Connection mariadb, BacklogTable t) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = mariadb.prepareStatement("SELECT COLUMN_NAME, COLUMN_TYPE FROM "
                + "information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, t.database());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(BaselineTable.quote(rs.getString(1)) + " " + postgresType(rs.getString(2)));
                }
            }
        }
        String key = BaselineTable.quote(t.columns().get(0).name());
        return "CREATE TABLE " + BaselineTable.quote(t.database()) + "." + BaselineTable.quote(t.name()) + " ("
                + String.join(", ", columns) + ", PRIMARY KEY (" + key + "))";
    }

    /** MariaDB's COLUMN_TYPE to the PostgreSQL type of docs/load.md's table. */
    static String postgresType(String columnType) {
        String type = columnType.toLowerCase(Locale.ROOT).trim();
        boolean unsigned = type.endsWith(" unsigned");
        String base = DISPLAY_WIDTH.matcher(type.replace(" unsigned", "")).replaceFirst("$1");
        Matcher sized = SIZED.matcher(base);
        if (sized.matches()) {
            int n = Integer.parseInt(sized.group(2));
            return switch (sized.group(1)) {
                case "decimal" -> "numeric(" + n + "," + sized.group(3) + ")";
                case "varchar" -> "varchar(" + n + ")";
                case "datetime" -> "timestamp(" + n + ") without time zone";
                default -> n == 1 ? "boolean" : "bit(" + n + ")";
            };
        }
        return switch (base) {
            case "tinyint" -> "smallint";
            case "smallint" -> unsigned ? "integer" : "smallint";
            case "mediumint" -> "integer";
            case "int" -> unsigned ? "bigint" : "integer";
            case "bigint" -> unsigned ? "numeric(20,0)" : "bigint";
            case "datetime" -> "timestamp(0) without time zone";
            default -> {
                if (base.equals("text") || base.equals("longtext") || base.startsWith("enum(")) {
                    yield "text";
                }
                throw new IllegalArgumentException("No PostgreSQL type for " + columnType + " in the load bench");
            }
        };
    }
}
