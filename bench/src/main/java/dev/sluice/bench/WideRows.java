package dev.sluice.bench;

import dev.sluice.bench.Backlog.Change;
import dev.sluice.bench.Backlog.Transaction;
import java.sql.SQLException;
import java.util.List;

/**
 * W3: INSERTs of a wide typed row into {@code bench.wide}, 10 rows per transaction: signed TINYINT at both ends,
 * SMALLINT UNSIGNED, INT over its whole range, BIGINT UNSIGNED above 2^63, DECIMAL(12,2) with negatives,
 * DECIMAL(20,10) with NULLs, two DATETIME(6) (one NULL in every tenth row), JSON, utf8mb4 VARCHAR and TEXT with 2-,
 * 3- and 4-byte characters, an ENUM with an accented label, BIT(8) and BIT(1). Every value is a function of the id,
 * computed by the server from the Sequence engine. About 420 bytes per row in the binlog.
 */
final class WideRows implements Backlog.Generator {
    static final int ROWS_PER_TRANSACTION = 10;
    static final BacklogTable TABLE = new BacklogTable(
            "bench",
            "wide",
            "CREATE TABLE bench.wide ("
                    + "id BIGINT NOT NULL PRIMARY KEY, small TINYINT NOT NULL, qty SMALLINT UNSIGNED NOT NULL, "
                    + "customer INT NOT NULL, big BIGINT UNSIGNED NOT NULL, amount DECIMAL(12,2) NOT NULL, "
                    + "rate DECIMAL(20,10) NULL, created DATETIME(6) NOT NULL, shipped DATETIME(6) NULL, doc JSON NOT NULL, "
                    + "name VARCHAR(64) NOT NULL, note TEXT NULL, "
                    + "status ENUM('new','paid','shipped','cancelled','retourné') NOT NULL, flags BIT(8) NOT NULL, "
                    + "active BIT(1) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            List.of(
                    CheckedColumn.integer("id"),
                    CheckedColumn.integer("small"),
                    CheckedColumn.integer("qty"),
                    CheckedColumn.integer("customer"),
                    // Debezium writes BIGINT UNSIGNED as a signed long by default: above 2^63 it is negative.
                    new CheckedColumn("big", "`big`", CheckedColumn.Kind.NUMBER, false),
                    CheckedColumn.textSluiceOnly("amount"),
                    CheckedColumn.textSluiceOnly("rate"),
                    CheckedColumn.textSluiceOnly("created"),
                    CheckedColumn.textSluiceOnly("shipped"),
                    CheckedColumn.text("doc"),
                    CheckedColumn.text("name"),
                    CheckedColumn.text("note"),
                    CheckedColumn.text("status"),
                    // BIT(n > 1) is its unsigned number in Sluice's JSON (base64 bytes in Debezium's); BIT(1) a
                    // boolean.
                    new CheckedColumn("flags", "CAST(`flags` AS UNSIGNED)", CheckedColumn.Kind.NUMBER, false),
                    new CheckedColumn("active", "IF(`active`, 'true', 'false')", CheckedColumn.Kind.BOOLEAN, true)));

    /** The values of row {@code seq}, in table order (seq is the Sequence engine's BIGINT UNSIGNED). */
    static final String SELECT_ROW = "SELECT seq, "
            + "CAST(seq % 256 AS SIGNED) - 128, "
            + "(seq * 7) % 65536, "
            + "CAST((seq * 2654435761) % 4294967296 AS SIGNED) - 2147483648, "
            + "18446744073709551615 - seq * 1000003, "
            + "(CAST((seq * 104729) % 2000000 AS SIGNED) - 1000000) / 100, "
            + "IF(seq % 7 = 0, NULL, seq / 3), "
            + "TIMESTAMP('2020-01-01') + INTERVAL (seq * 37) SECOND + INTERVAL ((seq * 7) % 1000000) MICROSECOND, "
            + "IF(seq % 10 = 0, NULL, TIMESTAMP('2020-01-03') + INTERVAL (seq * 41) SECOND "
            + "+ INTERVAL ((seq * 13) % 1000000) MICROSECOND), "
            + "JSON_OBJECT('id', seq, 'sku', CONCAT('SKU-', seq % 1000), 'tags', JSON_ARRAY('a', seq % 7, 'ü'), "
            + "'price', (seq % 1000) / 10, 'gift', seq % 3 = 0), "
            + "CONCAT(ELT(1 + seq % 4, 'Zoë', 'Łukasz', '王芳', 'Søren 🎉'), ' #', seq), "
            + "IF(seq % 5 = 0, NULL, LEFT(CONCAT('naïve café — ', MD5(seq), ' 日本語 ', SHA1(seq)), 20 + seq % 80)), "
            + "ELT(1 + seq % 5, 'new', 'paid', 'shipped', 'cancelled', 'retourné'), "
            + "seq % 256, "
            + "seq % 2";

    private final long events;

    WideRows(long events) {
        this.events = events;
    }

    @Override
    public String shape() {
        return ROWS_PER_TRANSACTION + " rows per transaction";
    }

    @Override
    public List<BacklogTable> tables() {
        return List.of(TABLE);
    }

    @Override
    public void write(Backlog.Sink sink) throws SQLException {
        for (long first = 1; first <= events; first += ROWS_PER_TRANSACTION) {
            long rows = Math.min(ROWS_PER_TRANSACTION, events - first + 1);
            sink.add(Transaction.of(Change.insert(
                    0,
                    rows,
                    "INSERT INTO " + TABLE.qualifiedName() + " " + SELECT_ROW + " FROM "
                            + NarrowRows.sequence(first, rows))));
        }
    }
}
