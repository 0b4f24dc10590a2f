package dev.sluice.load;

import static dev.sluice.testkit.Sql.exec;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The load tests' source table and its changes: inserts, a multi-row transaction of updates and deletes, a key
 * change, a key deleted and inserted again, and text with COPY's special characters. Each target's test compares
 * {@link #SOURCE_ROW} with its own rendering of the same row.
 */
public final class OrderChanges {
    /** {@code db.orders}: a key, an exact decimal, Unicode text, microseconds, the largest unsigned BIGINT. */
    public static final String COLUMNS =
            "id INT PRIMARY KEY, total DECIMAL(12,2), note VARCHAR(40) CHARACTER SET utf8mb4, placed DATETIME(6), "
                    + "big BIGINT UNSIGNED";
    /** One source row as text: {@code id|total|note|placed|big}, {@code -} for NULL. */
    public static final String SOURCE_ROW = "CONCAT_WS('|', id, COALESCE(total, '-'), COALESCE(note, '-'), "
            + "COALESCE(DATE_FORMAT(placed, '%Y-%m-%d %H:%i:%s.%f'), '-'), COALESCE(big, '-'))";

    private OrderChanges() {}

    /** Writes the changes into {@code db.orders}. */
    public static void write(Connection c, String db) throws SQLException {
        String t = db + ".orders";
        for (int i = 1; i <= 300; i++) {
            exec(
                    c,
                    "INSERT INTO " + t + " VALUES (" + i + ", " + i + ".25, 'n" + i + " é🎉', '2024-01-0" + (1 + i % 9)
                            + " 10:00:00.000123', " + (i % 2 == 0 ? "18446744073709551615" : "NULL") + ")");
        }
        c.setAutoCommit(false);
        exec(
                c,
                "UPDATE " + t + " SET total = total * 2 WHERE id <= 100",
                "DELETE FROM " + t + " WHERE id BETWEEN 150 AND 160");
        c.commit();
        c.setAutoCommit(true);
        exec(c, "UPDATE " + t + " SET id = 1000 WHERE id = 5");
        exec(c, "DELETE FROM " + t + " WHERE id = 7", "INSERT INTO " + t + " VALUES (7, NULL, NULL, NULL, NULL)");
        exec(c, "UPDATE " + t + " SET note = 'tab\\there\\nnewline \\\\ backslash' WHERE id = 8");
    }
}
