package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.embedded.MariaDbServer;
import dev.sluice.testkit.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The raw binlog read ceiling reads the whole binlog up to the end position: every event of every file that a
 * replica asking as Sluice does is sent (not the ANNOTATE_ROWS events, which neither asks for).
 */
class CeilingsTest {
    @Test
    void rawReadCoversEveryByteOfTheBinlog() throws Exception {
        MariaDbServer server = TestServers.throwawayMariaDb("ceilings", MariaDbServer.Options.defaults());
        try (Connection c = server.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE bench");
            st.execute("CREATE TABLE bench.t (id INT PRIMARY KEY, v VARCHAR(100))");
            for (int i = 1; i <= 200; i++) {
                st.execute("INSERT INTO bench.t VALUES (" + i + ", REPEAT('x', 90))");
            }
            st.execute("FLUSH BINARY LOGS"); // a second file: the read must follow the ROTATE
            st.execute("INSERT INTO bench.t VALUES (1000, 'last')");
            long[] inFiles = eventsAndBytesInFiles(st); // what SHOW BINLOG EVENTS lists, file by file
            Ceilings.RawRead read = Ceilings.rawBinlogRead(server);
            // The server also sends an artificial ROTATE and the FORMAT_DESCRIPTION again when the read enters a
            // file (each well under 200 bytes); everything else must be exactly the files' events.
            long files = inFiles[2];
            assertEquals(2, files);
            assertTrue(
                    read.events() >= inFiles[0] && read.events() <= inFiles[0] + 2 * files,
                    "read " + read.events() + " events of " + inFiles[0] + " in the files");
            assertTrue(
                    read.bytes() >= inFiles[1] && read.bytes() <= inFiles[1] + 400 * files,
                    "read " + read.bytes() + " bytes of " + inFiles[1] + " in the files");
        } finally {
            server.stop();
        }
    }

    /** Events, their bytes (end position - position), and files, leaving out ANNOTATE_ROWS. */
    private static long[] eventsAndBytesInFiles(Statement st) throws Exception {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        long events = 0;
        long bytes = 0;
        for (String name : names) {
            try (ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + name + "'")) {
                while (rs.next()) {
                    if (!rs.getString("Event_type").equals("Annotate_rows")) {
                        events++;
                        bytes += rs.getLong("End_log_pos") - rs.getLong("Pos");
                    }
                }
            }
        }
        return new long[] {events, bytes, names.size()};
    }
}
