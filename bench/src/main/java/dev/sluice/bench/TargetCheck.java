package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testkit.RowChecksum;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Target = source, table by table: both tables are read in key order, each row as the text of its checked columns
 * (the source's as {@link CheckedColumn#sqlText()} writes it; the target's rendered by PostgreSQL to the same text
 * from its column type), and compared row by row. Reported per table: rows on each side, the MD5 of the ordered row
 * texts on each side (the ordered checksum), the rows that differ and the first of them.
 */
final class TargetCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FETCH = 5_000;

    /** One table's comparison. */
    record Table(
            String name,
            long sourceRows,
            long targetRows,
            String sourceMd5,
            String targetMd5,
            long differing,
            String firstDifference) {
        boolean ok() {
            return differing == 0 && sourceRows == targetRows && sourceMd5.equals(targetMd5);
        }
    }

    private final List<Table> tables;

    private TargetCheck(List<Table> tables) {
        this.tables = tables;
    }

    /** Compares every backlog table on {@code columns(representation)}: all for Sluice's topics. */
    static TargetCheck compare(
            Connection mariadb, Connection target, List<BacklogTable> backlogTables, Representation representation)
            throws SQLException {
        List<Table> out = new ArrayList<>();
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
        try {
            for (BacklogTable t : backlogTables) {
                out.add(compare(mariadb, target, t, t.columns(representation)));
            }
        } finally {
            target.rollback();
            target.setAutoCommit(autoCommit);
        }
        return new TargetCheck(out);
    }

    /** A load that did not finish: its target was not compared, and the check fails. */
    static TargetCheck notLoaded(String why) {
        return new TargetCheck(List.of(new Table("(not loaded)", 0, 0, "", "-", 1, why)));
    }

    boolean ok() {
        return tables.stream().allMatch(Table::ok);
    }

    String summary() {
        long bad = tables.stream().filter(t -> !t.ok()).count();
        long rows = tables.stream().mapToLong(Table::targetRows).sum();
        return bad == 0
                ? "OK (" + tables.size() + " table(s), " + rows + " rows equal in key order)"
                : "FAILED: " + bad + " of " + tables.size() + " table(s) differ; first: " + firstProblem();
    }

    String firstProblem() {
        return tables.stream()
                .filter(t -> !t.ok())
                .findFirst()
                .map(t -> t.name() + ": source " + t.sourceRows() + " rows, target " + t.targetRows() + ", "
                        + t.differing() + " differ; " + t.firstDifference())
                .orElse("");
    }

    ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("ok", ok());
        n.put("summary", summary());
        ArrayNode list = n.putArray("tables");
        for (Table t : tables.size() > 10
                ? tables.stream().filter(t -> !t.ok()).limit(10).toList()
                : tables) {
            list.add(JSON.valueToTree(t));
        }
        n.put("tables_compared", tables.size());
        return n;
    }

    private static Table compare(Connection mariadb, Connection target, BacklogTable t, List<CheckedColumn> columns)
            throws SQLException {
        String sourceSql = "SELECT "
                + columns.stream().map(c -> "CAST(" + c.sqlText() + " AS CHAR)").collect(Collectors.joining(", "))
                + " FROM " + t.qualifiedName() + " AS t ORDER BY t."
                + CheckedColumn.quoted(columns.get(0).name());
        String targetSql = targetSelect(target, t, columns);
        try (Statement s = mariadb.createStatement();
                Statement d = target.createStatement()) {
            s.setFetchSize(FETCH);
            d.setFetchSize(FETCH);
            try (ResultSet src = s.executeQuery(sourceSql);
                    ResultSet dst = d.executeQuery(targetSql)) {
                return merge(t.qualifiedName(), src, dst, columns.size());
            }
        }
    }

    /** Both sides in key order: rows compared by key, and each side's ordered rows hashed. */
    private static Table merge(String name, ResultSet src, ResultSet dst, int width) throws SQLException {
        MessageDigest sourceMd5 = md5();
        MessageDigest targetMd5 = md5();
        long sourceRows = 0, targetRows = 0, differing = 0;
        String first = "";
        String[] a = next(src, width), b = next(dst, width);
        while (a != null || b != null) {
            int order = a == null ? 1 : b == null ? -1 : Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0]));
            if (order <= 0) {
                sourceRows++;
                sourceMd5.update(line(a));
            }
            if (order >= 0) {
                targetRows++;
                targetMd5.update(line(b));
            }
            if (order != 0 || !String.join("\u0000", a).equals(String.join("\u0000", b))) {
                differing++;
                if (first.isEmpty()) {
                    first = "source " + (order <= 0 ? String.join(":", a) : "(none)") + " / target "
                            + (order >= 0 ? String.join(":", b) : "(none)");
                }
            }
            a = order <= 0 ? next(src, width) : a;
            b = order >= 0 ? next(dst, width) : b;
        }
        return new Table(name, sourceRows, targetRows, hex(sourceMd5), hex(targetMd5), differing, first);
    }

    private static String[] next(ResultSet rs, int width) throws SQLException {
        if (!rs.next()) {
            return null;
        }
        String[] row = new String[width];
        for (int i = 0; i < width; i++) {
            String v = rs.getString(i + 1);
            row[i] = v == null ? RowChecksum.NULL : v;
        }
        return row;
    }

    private static byte[] line(String[] row) {
        return (String.join(":", row) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The target's text of each checked column, from its PostgreSQL type: timestamps with six fraction digits (as
     * MariaDB prints DATETIME(6)), bit(n) as its number and boolean as true/false (as the checked columns' text
     * reads them), everything else PostgreSQL's own text.
     */
    private static String targetSelect(Connection target, BacklogTable t, List<CheckedColumn> columns)
            throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement ps = target.prepareStatement("SELECT attname, format_type(atttypid, atttypmod) "
                + "FROM pg_attribute WHERE attrelid = CAST(? AS regclass) AND attnum > 0 AND NOT attisdropped")) {
            ps.setString(1, BaselineTable.quote(t.database()) + "." + BaselineTable.quote(t.name()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        String select = columns.stream()
                .map(c -> textOf("t." + BaselineTable.quote(c.name()), types.getOrDefault(c.name(), "text")))
                .collect(Collectors.joining(", "));
        // By the table's column: a cast column keeps its name, and ORDER BY an output name would sort its text.
        return "SELECT " + select + " FROM " + BaselineTable.quote(t.database()) + "." + BaselineTable.quote(t.name())
                + " AS t ORDER BY t." + BaselineTable.quote(columns.get(0).name());
    }

    private static String textOf(String column, String type) {
        if (type.startsWith("timestamp")) {
            return "to_char(" + column + ", 'YYYY-MM-DD HH24:MI:SS.US')";
        }
        if (type.startsWith("bit(")) {
            return "CAST(CAST(" + column + " AS bigint) AS text)";
        }
        if (type.equals("boolean")) {
            return "CASE WHEN " + column + " THEN 'true' WHEN NOT " + column + " THEN 'false' END";
        }
        return "CAST(" + column + " AS text)";
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest d) {
        return java.util.HexFormat.of().formatHex(d.digest());
    }
}
