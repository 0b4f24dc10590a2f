package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.testkit.RowChecksum;
import dev.sluice.testkit.Sql;
import dev.sluice.testkit.TestServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The snapshot bench against a real server, without Kafka or Sluice: the generated table, the checksum computed by
 * SQL against the same checksum over after images written the way docs/types.md says Sluice writes them, and the two
 * ceilings (mariadb-dump, raw SELECT) counting every row. A few seconds.
 */
class SnapshotTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DATETIME_6 = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final int ROWS = 2_500;
    private static MariaDbServer server;

    @BeforeAll
    static void generate() throws Exception {
        server = TestServers.throwawayMariaDb("snapshot-table", MariaDbServer.Options.defaults());
        SnapshotTable.Result result = SnapshotTable.create(server, ROWS, 1_000);
        assertEquals(ROWS, result.rows());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void theTableHoldsIdsOneToRowsWithNullsAndMultiByteText() throws Exception {
        try (Connection c = server.connect()) {
            assertEquals(
                    "2500 1 2500 250 50",
                    Sql.scalar(
                            c,
                            "SELECT CONCAT_WS(' ', COUNT(*), MIN(id), MAX(id), "
                                    + "SUM(shipped_at IS NULL), SUM(note LIKE '%🎉%')) FROM " + SnapshotTable.TABLE));
            assertEquals(
                    "0",
                    Sql.scalar(
                            c,
                            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
                                    + "'bench' AND table_name LIKE 'seq%'"));
        }
    }

    @Test
    void sqlChecksumEqualsTheChecksumOfAfterImagesAsSluiceWritesThem() throws Exception {
        DrainVerifier.Tally tally = new DrainVerifier.Tally(ROWS, SnapshotBench.SNAPSHOT_ROWS);
        RowChecksum source;
        try (Connection c = server.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + SnapshotTable.TABLE)) {
            while (rs.next()) {
                tally.add(null, envelope(rs));
            }
            source = RowChecksum.ofTable(c, SnapshotTable.TABLE, SnapshotTable.COLUMNS);
        }
        DrainVerifier.Seen seen = tally.result();
        assertEquals(source, seen.checksum());
        assertEquals(ROWS, seen.distinctIds());
        assertEquals(0, seen.otherOps());
    }

    @Test
    void theDumpAndTheRawScanSeeEveryRow() throws Exception {
        MariaDbDump.Run dump = MariaDbDump.run(
                server,
                SnapshotTable.DATABASE,
                SnapshotTable.NAME,
                TestServers.directory("dump").resolve("dump.sql"));
        assertEquals(ROWS, dump.rowsInFile());
        assertTrue(dump.bytes() > ROWS * 150L, "dump bytes " + dump.bytes());
        assertTrue(dump.cpuSeconds() >= 0 && dump.seconds() > 0);
        for (int parallelism : new int[] {1, 3}) {
            RawScan.Run scan = RawScan.run(server, SnapshotTable.TABLE, SnapshotTable.COLUMNS, ROWS, parallelism);
            assertEquals(ROWS, scan.rows());
            assertTrue(scan.bytesSent() > ROWS * 150L, "bytes sent " + scan.bytesSent());
        }
    }

    /** An op r envelope with the row's after image: numbers, DECIMAL and DATETIME(6) as exact strings, NULL. */
    private static byte[] envelope(ResultSet rs) throws Exception {
        ObjectNode after = JSON.createObjectNode();
        after.put("id", rs.getLong("id"));
        after.put("customer_id", rs.getLong("customer_id"));
        after.put("quantity", rs.getLong("quantity"));
        after.put("status", rs.getLong("status"));
        after.put("sku", rs.getString("sku"));
        after.put("email", rs.getString("email"));
        after.put("price", rs.getBigDecimal("price").toPlainString());
        after.put("created_at", rs.getObject("created_at", LocalDateTime.class).format(DATETIME_6));
        LocalDateTime shipped = rs.getObject("shipped_at", LocalDateTime.class);
        after.put("shipped_at", shipped == null ? null : shipped.format(DATETIME_6));
        after.put("note", rs.getString("note"));
        ObjectNode envelope = JSON.createObjectNode();
        envelope.putNull("before");
        envelope.set("after", after);
        envelope.putObject("source").put("snapshot", "true");
        envelope.put("op", "r");
        return JSON.writeValueAsString(envelope).getBytes(StandardCharsets.UTF_8);
    }
}
