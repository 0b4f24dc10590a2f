package dev.sluice.faults;

import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.pipeline.InProcessPipeline;
import dev.sluice.testkit.TestConfigs;
import dev.sluice.testkit.TestServers;
import dev.sluice.testkit.TopicReader;
import dev.sluice.testkit.TopicReader.Rec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * T14: a storm of DDL on a captured table — columns added (first, in the middle, last), dropped, renamed, retyped
 * and moved between latin1 and utf8mb4 — with a row written after every statement and the pipeline restarted in the
 * middle. Sluice has no DDL parser: each row must still be decoded with the table as it was when the row was
 * written, equal to what the server returned for that row right after writing it, and every DDL statement must be
 * published exactly once, in order.
 */
class DdlStormTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEPS = 60;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final List<String> columns = new ArrayList<>();
    private final List<JsonNode> expectedRows = new ArrayList<>();
    private final List<String> ddl = new ArrayList<>();
    private int nextColumn;
    private int nextId;

    @Test
    void everyRowIsDecodedWithTheTableAsItWasWhenItWasWritten() throws Exception {
        long seed = Long.getLong("sluice.test.seed", System.nanoTime());
        System.out.println("DdlStormTest seed " + seed);
        Random random = new Random(seed);
        MariaDbServer server = TestServers.mariadb114();
        String db = TestServers.uniqueName("ddl");
        try (Connection c = server.connect()) {
            exec(c, "CREATE DATABASE " + db, "USE " + db, "CREATE TABLE t (id INT PRIMARY KEY)");
            var settings = TestConfigs.forDatabase(server, db);
            try (TopicReader rows = new TopicReader(
                            TestServers.kafka().bootstrapServers(),
                            Pattern.compile(Pattern.quote("t_" + db + "." + db + ".t")));
                    TopicReader schemaChanges = new TopicReader(
                            TestServers.kafka().bootstrapServers(),
                            Pattern.compile(Pattern.quote("t_" + db + "._schema_changes")))) {
                try (InProcessPipeline first = InProcessPipeline.start(TestConfigs.build(settings))) {
                    storm(c, random, STEPS / 2);
                }
                storm(c, random, STEPS / 4); // written while no pipeline runs
                try (InProcessPipeline second = InProcessPipeline.start(TestConfigs.build(settings))) {
                    storm(c, random, STEPS / 4);
                    List<Rec> published = rows.readUntil(r -> r.size() >= expectedRows.size(), WAIT, "every row");
                    published = rows.drain(Duration.ofMillis(300));
                    assertEquals(expectedRows.size(), published.size(), "one event per written row, seed " + seed);
                    for (int i = 0; i < expectedRows.size(); i++) {
                        assertEquals(
                                expectedRows.get(i),
                                published.get(i).after(),
                                "row " + i + " (seed " + seed + ") decoded with the table as it was when written");
                    }
                    List<Rec> changes = schemaChanges.readUntil(r -> r.size() >= ddl.size(), WAIT, "every DDL");
                    changes = schemaChanges.drain(Duration.ofMillis(300));
                    assertEquals(
                            ddl,
                            changes.stream()
                                    .map(r -> r.value().path("ddl").asText())
                                    .toList(),
                            "every DDL statement exactly once, in order (seed " + seed + ")");
                }
            }
        }
    }

    /** {@code steps} times: one DDL statement on t, then one new row with a value in every column. */
    private void storm(Connection c, Random random, int steps) throws SQLException {
        for (int i = 0; i < steps; i++) {
            String statement = nextDdl(random);
            exec(c, statement);
            ddl.add(statement);
            insertRow(c, random);
        }
    }

    private String nextDdl(Random random) {
        int dice = columns.isEmpty() ? 0 : random.nextInt(100);
        if (dice < 45) {
            String name = "c" + (++nextColumn);
            String type = random.nextBoolean()
                    ? "INT"
                    : "VARCHAR(20) CHARACTER SET " + (random.nextBoolean() ? "latin1" : "utf8mb4");
            String where = columns.isEmpty() || random.nextBoolean()
                    ? ""
                    : random.nextBoolean() ? " FIRST" : " AFTER " + columns.get(random.nextInt(columns.size()));
            if (where.equals(" FIRST")) {
                columns.add(0, name);
            } else if (where.startsWith(" AFTER ")) {
                columns.add(columns.indexOf(where.substring(7)) + 1, name);
            } else {
                columns.add(name);
            }
            return "ALTER TABLE t ADD COLUMN " + name + " " + type + where;
        }
        String column = columns.get(random.nextInt(columns.size()));
        if (dice < 60) {
            columns.remove(column);
            return "ALTER TABLE t DROP COLUMN " + column;
        }
        if (dice < 75) {
            String renamed = "r" + (++nextColumn);
            columns.set(columns.indexOf(column), renamed);
            return "ALTER TABLE t RENAME COLUMN " + column + " TO " + renamed;
        }
        // Retype as text in either charset: an INT's digits survive, text survives both ways (é and € are in both).
        return "ALTER TABLE t MODIFY " + column + " VARCHAR(30) CHARACTER SET "
                + (random.nextBoolean() ? "latin1" : "utf8mb4");
    }

    private void insertRow(Connection c, Random random) throws SQLException {
        int id = ++nextId;
        StringBuilder names = new StringBuilder("id");
        StringBuilder values = new StringBuilder(Integer.toString(id));
        for (String column : columns) {
            names.append(", ").append(column);
            values.append(", ").append(random.nextInt(10) == 0 ? "NULL" : "'" + random.nextInt(1000) + "é€'");
        }
        try (Statement st = c.createStatement()) {
            // A text value into an INT column: the server keeps the leading digits (hence no strict mode here).
            st.execute("SET SESSION sql_mode = ''");
            st.execute("INSERT INTO t (" + names + ") VALUES (" + values + ")");
            expectedRows.add(rowAsServerReturnsIt(st, id));
        }
    }

    /** The row as the server returns it now, in the envelope's representation (INT as a number, text as text). */
    private static JsonNode rowAsServerReturnsIt(Statement st, int id) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT * FROM t WHERE id = " + id)) {
            rs.next();
            ResultSetMetaData md = rs.getMetaData();
            ObjectNode row = JSON.createObjectNode();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String name = md.getColumnLabel(i);
                if (rs.getObject(i) == null) {
                    row.putNull(name);
                } else if (md.getColumnType(i) == java.sql.Types.INTEGER) {
                    row.put(name, rs.getInt(i));
                } else {
                    row.put(name, rs.getString(i));
                }
            }
            return row;
        }
    }
}
