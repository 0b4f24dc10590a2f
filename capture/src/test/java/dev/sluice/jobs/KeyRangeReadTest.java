package dev.sluice.jobs;

import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.Secret;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.TableFilter;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.position.BinlogCoordinates;
import dev.sluice.schema.CharsetMap;
import dev.sluice.schema.Column;
import dev.sluice.schema.TableSchema;
import dev.sluice.table.CatalogSchema;
import dev.sluice.table.KeyRange;
import dev.sluice.table.SourceConnection;
import dev.sluice.table.TableName;
import dev.sluice.table.TableReader;
import dev.sluice.table.Throttle;
import dev.sluice.testkit.TestServers;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The table kit used the way the archive job will use it, from a package of its own so that only its public API
 * compiles here, and with no Kafka: list the captured tables, plan the key ranges of the rows a WHERE matches in a
 * table whose key is composite and not an integer (a case- and accent-insensitive VARCHAR, then a DATETIME(6)),
 * read each range exactly under a rate limit. The ranges' rows, in order, are the rows a plain SELECT returns:
 * no range overlaps another or misses a row. The rate is honoured on a fake clock that only the throttle's waits
 * move, so the test never sleeps.
 */
class KeyRangeReadTest {
    private static final int ROWS_PER_RANGE = 7;
    /** One range per 100 ms. */
    private static final int ROWS_PER_SECOND = 70;

    private static final String WHERE = "amount < 50";
    private static final String[] REGIONS = {"a", "A", "b", "Ö", "o", "ß", "ss", "日本", "z", "Z"};

    private final MariaDbServer server = TestServers.mariadb114();

    /** The throttle's clock: it moves only when the throttle waits. */
    private long nowMs = 1_000_000;

    @Test
    void rangesCoverEveryMatchingRowOnceInKeyOrderUnderTheRateLimit() throws Exception {
        String db = TestServers.uniqueName("kit");
        createTables(db);
        try (Connection c = SourceConnection.open(source())) {
            assertEquals(
                    List.of(new TableName(db, "orders"), new TableName(db, "returns")),
                    CatalogSchema.capturedTables(c, captured(db)),
                    "base tables the filter captures, in name order: no view, no excluded table");

            TableReader orders = new TableReader(c, CharsetMap.load(c), db, "orders", WHERE);
            orders.refreshSchema();
            assertTrue(orders.pagedByKey(), "a (VARCHAR, DATETIME(6)) key is paged by");
            Throttle throttle = new Throttle(
                    new Throttle.Limits("archive", ROWS_PER_SECOND, Duration.ZERO, Duration.ofSeconds(60)),
                    () -> 0,
                    () -> nowMs,
                    ms -> nowMs += ms);

            long firstStartMs = -1;
            int rowsStarted = 0;
            List<Object> after = null;
            BinlogCoordinates previousReadAt = null;
            List<String> copied = new ArrayList<>();
            KeyRange range;
            do {
                throttle.await(ROWS_PER_RANGE, c);
                firstStartMs = firstStartMs < 0 ? nowMs : firstStartMs;
                assertTrue(
                        rowsStarted * 1000L <= ROWS_PER_SECOND * (nowMs - firstStartMs),
                        rowsStarted + " rows read in the first " + (nowMs - firstStartMs) + " ms");

                range = orders.nextRange(after, ROWS_PER_RANGE);
                assertEquals(after, range.after(), "each range starts where the previous one ended");
                List<String> rows = new ArrayList<>();
                BinlogCoordinates readAt = orders.read(range, cells -> rows.add(text(orders.schema(), cells)));
                assertTrue(
                        previousReadAt == null || !previousReadAt.isAfter(readAt),
                        readAt + " is a later read than " + previousReadAt);

                assertTrue(rows.size() <= ROWS_PER_RANGE, range + " holds " + rows);
                if (!range.isLast()) {
                    assertEquals(ROWS_PER_RANGE, rows.size(), "a range that is not the last is full: " + rows);
                }
                copied.addAll(rows);
                rowsStarted += ROWS_PER_RANGE;
                previousReadAt = readAt;
                after = range.upTo();
            } while (!range.isLast());

            assertNull(range.upTo(), "the last range is open-ended");
            assertTrue(copied.size() > 5 * ROWS_PER_RANGE, "enough rows for several ranges: " + copied.size());
            assertEquals(plainSelect(db), copied, "every matching row once, in key order");
            assertEquals(
                    (long) (rowsStarted / ROWS_PER_RANGE - 1) * ROWS_PER_RANGE * 1000 / ROWS_PER_SECOND,
                    nowMs - firstStartMs,
                    "the throttle spaced the ranges by the rate and did not pause (the source is no replica)");
        }
    }

    /**
     * orders: keys equal under the collation ('a'/'A', 'Ö'/'o', 'ß'/'ss') told apart by the DATETIME(6), a latin1
     * column, amounts on both sides of the WHERE. returns is captured too; skipped and a view are not.
     */
    private void createTables(String db) throws Exception {
        try (Connection c = server.connect()) {
            exec(
                    c,
                    "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".orders (region VARCHAR(8) CHARACTER SET utf8mb4 COLLATE "
                            + "utf8mb4_unicode_ci, at DATETIME(6), amount DECIMAL(10,2), note VARCHAR(20) CHARACTER SET "
                            + "latin1, PRIMARY KEY (region, at))",
                    "CREATE TABLE " + db + ".returns (id INT PRIMARY KEY)",
                    "CREATE TABLE " + db + ".skipped (id INT PRIMARY KEY)",
                    "CREATE VIEW " + db + ".recent AS SELECT * FROM " + db + ".orders");
            for (int i = 0; i < 120; i++) {
                exec(
                        c,
                        "INSERT INTO " + db + ".orders VALUES ('" + REGIONS[i % REGIONS.length] + "', "
                                + "TIMESTAMP'2024-02-29 23:59:59' + INTERVAL " + (i * 7919 % 1_000_000)
                                + " MICROSECOND + INTERVAL " + i + " MINUTE, " + (i * 37 % 100) + ".25, 'café " + i
                                + "')");
            }
        }
    }

    /** The rows the WHERE matches, in key order, each rendered by the server as text. */
    private List<String> plainSelect(String db) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = server.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT CONCAT_WS('|', region, at, amount, note) FROM " + db
                        + ".orders WHERE " + WHERE + " ORDER BY region, at")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    /** The cells of one row as the server would render it: text in the column's charset, numbers and times as text. */
    private static String text(TableSchema schema, Serializable[] cells) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < cells.length; i++) {
            Column column = schema.columns().get(i);
            values.add(
                    cells[i] instanceof byte[] bytes
                            ? new String(bytes, column.charset())
                            : cells[i] instanceof BigDecimal d ? d.toPlainString() : String.valueOf(cells[i]));
        }
        return String.join("|", values);
    }

    private static TableFilter captured(String db) {
        return new TableFilter(new SluiceConfig.Filter(List.of(db + ".*"), List.of(db + ".skip*")));
    }

    /** Built directly: TestConfigs would start the Kafka broker the kit does not need. */
    private SluiceConfig.Source source() {
        return new SluiceConfig.Source(
                server.host(),
                server.port(),
                "root",
                new Secret(""),
                ThreadLocalRandom.current().nextLong(10_000, 1_000_000),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5));
    }
}
