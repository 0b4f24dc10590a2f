package dev.sluice.load.duckdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A second process on a DuckDB file: opens it, writes a row, prints {@code HOLDING}, and keeps it open until its
 * stdin closes.
 */
public final class HoldFile {
    private HoldFile() {}

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0]);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS held (n INTEGER)");
            st.execute("INSERT INTO held VALUES (1)");
            System.out.println("HOLDING " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // holds the file until the test closes our stdin
            }
        }
    }
}
