package dev.sluice.table;

import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.Secret;
import dev.sluice.config.SluiceConfig;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.schema.CharsetMap;
import dev.sluice.schema.ColumnDefinition;
import dev.sluice.schema.TableSchema;
import dev.sluice.snapshot.Differences;
import dev.sluice.source.BinlogTap;
import dev.sluice.source.ServerCheck;
import dev.sluice.source.ServerInfo;
import dev.sluice.testkit.TestServers;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalog's schema of a table equals the one the stream builds from the table's TABLE_MAP (SchemaBuilder),
 * column for column and key for key, for the shapes the type matrix does not cover: key order, the server's
 * stand-in primary key, prefix keys, escaped ENUM/SET labels, label counts that change the storage width, every
 * string and BLOB size, quoted identifiers; the column definitions of the {@code _schemas} topic (type names,
 * lengths in characters, collations, nullability) the same from both; and a row read by SnapshotCells is the
 * stream's cells, object for object. (The type matrix checks both for every type and value.)
 */
class CatalogSchemaTest {
    /** Table name → definition (columns, options); each gets one row ({@link #ROWS}), so it has a TABLE_MAP. */
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    private static final Map<String, String> ROWS = new LinkedHashMap<>();

    static {
        table("key_order", "a INT, b VARCHAR(10), c INT, PRIMARY KEY (b, a)", "1, 'x', 2");
        table(
                "stand_in_key",
                "a INT NOT NULL, b VARCHAR(10) NOT NULL, c INT, UNIQUE KEY un (c), UNIQUE KEY ub (b, a)",
                "1, 'x', 2");
        table("nullable_unique", "a INT, b INT, UNIQUE KEY (a)", "1, 2");
        table("no_key", "a INT, b TEXT", "1, 'x'");
        table("prefix_key", "t TEXT NOT NULL, n INT, PRIMARY KEY (t(10))", "'x', 1");
        table(
                "labels",
                "id INT PRIMARY KEY, e ENUM('q''t','b\\\\s','a,b',' sp ','',"
                        + "'nl\\n','?', 'é') CHARACTER SET utf8mb4, "
                        + "l ENUM('café','€') CHARACTER SET latin1, w SET('Ω','ü') CHARACTER SET utf16, "
                        + "s SET('x''y','a b','?')",
                "1, 'q''t', '€', 'ü,Ω', 'x''y,?'");
        table(
                "label_widths",
                "id INT PRIMARY KEY, e300 ENUM(" + labels("m", 300) + "), s8 SET(" + labels("s", 8)
                        + "), s9 SET(" + labels("s", 9) + "), s17 SET(" + labels("s", 17) + "), s25 SET("
                        + labels("s", 25)
                        + "), s33 SET(" + labels("s", 33) + "), s64 SET(" + labels("s", 64) + ")",
                "1, 'm300', 's8', 's1,s9', 's17', 's25', 's33', 's1,s64'");
        table(
                "strings",
                "id INT PRIMARY KEY, c0 CHAR(0), c255 CHAR(255) CHARACTER SET utf8mb4, "
                        + "b255 BINARY(255), c85 CHAR(85) CHARACTER SET utf8mb3, u CHAR(64) CHARACTER SET utf32, "
                        + "v VARCHAR(300) CHARACTER SET ucs2, vb VARBINARY(5), tt TINYTEXT, t TEXT CHARACTER SET latin1, "
                        + "mt MEDIUMTEXT, lt LONGTEXT, tb TINYBLOB, b BLOB, mb MEDIUMBLOB, lb LONGBLOB, j JSON",
                "1, '', 'x ', X'01', 'y', 'z ', 'w', X'00', 'a', 'b', 'c', 'd', X'0A', X'0B', X'0C', X'0D', '[1]'");
        table(
                "numbers",
                "id INT PRIMARY KEY, t TINYINT UNSIGNED, s SMALLINT, m MEDIUMINT UNSIGNED, i INT(5) ZEROFILL, "
                        + "g BIGINT UNSIGNED, d DECIMAL(65,30), du DECIMAL(10,2) UNSIGNED, f FLOAT, fu FLOAT UNSIGNED, "
                        + "f30 FLOAT(30), db DOUBLE, r REAL, b1 BIT(1), b17 BIT(17), b64 BIT(64), y YEAR, "
                        + "dz DECIMAL(10,2) ZEROFILL, d2 DOUBLE(10,2), f73 FLOAT(7,3), fz FLOAT ZEROFILL, dbz DOUBLE ZEROFILL",
                "1, 255, -1, 16777215, 42, 18446744073709551615, -1.5, 2.25, 0.1, 2.5, 0.2, 1e300, -2, b'1', "
                        + "b'10000000000000001', b'1000000000000000000000000000000000000000000000000000000000000001', 0, "
                        + "12.5, 1.01, 3.142, 123456.789, 0.1e0 + 0.2e0");
        table(
                "temporal",
                "id INT PRIMARY KEY, d DATE, t TIME, t3 TIME(3), dt DATETIME, dt6 DATETIME(6), "
                        + "ts TIMESTAMP NULL, ts2 TIMESTAMP(2) NULL",
                "1, '2024-02-29', '-838:59:59', '12:00:00.5', '2024-01-01 00:00:00', '2024-01-01 00:00:00.000001', "
                        + "'2024-01-01 12:00:00', '2024-01-01 12:00:00.25'");
        table(
                "spatial",
                "id INT PRIMARY KEY, g GEOMETRY, p POINT, c GEOMETRYCOLLECTION",
                "1, ST_GeomFromText('POINT(1 2)', 4326), POINT(3, 4), ST_GeomFromText('GEOMETRYCOLLECTION EMPTY')");
        table(
                "fixed_binary",
                "id INT PRIMARY KEY, u UUID, i6 INET6, b16 BINARY(16), b4 BINARY(4)",
                "1, '6ccd780c-baba-1026-9564-5b8c65602400', '::ffff:1.2.3.0', X'01', X'0100'");
        // Generated, invisible and system-versioning columns are all in the binlog's rows, so in the schema too.
        table(
                "hidden",
                "id INT PRIMARY KEY, a INT, v INT AS (a * 2) VIRTUAL, s INT AS (a + 1) STORED, "
                        + "h INT INVISIBLE DEFAULT 7",
                "1, 5, DEFAULT, DEFAULT");
        versioned("versioned", "id INT PRIMARY KEY, a INT", "1, 2");
        versioned("versioned_stand_in_key", "a INT NOT NULL, b INT, UNIQUE KEY (a)", "1, 2");
        versioned(
                "versioned_explicit",
                "id INT PRIMARY KEY, s TIMESTAMP(6) GENERATED ALWAYS AS ROW START INVISIBLE, "
                        + "e TIMESTAMP(6) GENERATED ALWAYS AS ROW END, a INT, PERIOD FOR SYSTEM_TIME(s, e)",
                "1, DEFAULT, 2");
        table("odd `names`", "`we``ird` INT PRIMARY KEY, `sp ace` VARCHAR(3), `é` INT", "1, 'x', 2");
    }

    private static void table(String name, String columns, String row) {
        TABLES.put(name, "(" + columns + ")");
        ROWS.put(name, row);
    }

    private static void versioned(String name, String columns, String row) {
        TABLES.put(name, "(" + columns + ") WITH SYSTEM VERSIONING");
        ROWS.put(name, row);
    }

    private static String labels(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "'" + prefix + i + "'").collect(Collectors.joining(","));
    }

    static Stream<MariaDbServer> servers() {
        return TestServers.allMariaDb().stream();
    }

    @ParameterizedTest(name = "MariaDB {0}", autoCloseArguments = false)
    @MethodSource("servers")
    void catalogSchemaAndCellsEqualTheStreams(MariaDbServer server) throws Exception {
        String version = server.version();
        String db = TestServers.uniqueName("catalog");
        // Built directly: TestConfigs would start the Kafka broker this test does not need.
        SluiceConfig.Source source = new SluiceConfig.Source(
                server.host(),
                server.port(),
                "root",
                new Secret(""),
                ThreadLocalRandom.current().nextLong(10_000, 1_000_000),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        List<String> failures = new ArrayList<>();
        try (Connection admin = server.connect()) {
            exec(admin, "CREATE DATABASE " + db);
            for (Map.Entry<String, String> t : TABLES.entrySet()) {
                exec(admin, "CREATE TABLE " + db + "." + SnapshotCells.quoted(t.getKey()) + " " + t.getValue());
            }
            ServerInfo start = new ServerCheck(source).run();
            for (Map.Entry<String, String> t : ROWS.entrySet()) {
                exec(
                        admin,
                        "INSERT INTO " + db + "." + SnapshotCells.quoted(t.getKey()) + " VALUES (" + t.getValue()
                                + ")");
            }
            Map<String, BinlogTap.Table> stream =
                    BinlogTap.read(source, start, db, ROWS.size(), Duration.ofSeconds(60));
            // The shapes are really there, so equality is not of two empty answers (the server strips trailing
            // spaces of ENUM labels).
            assertArrayEquals(new int[] {1, 0}, stream.get("key_order").schema().primaryKey());
            assertArrayEquals(
                    new int[] {1, 0}, stream.get("stand_in_key").schema().primaryKey());
            assertArrayEquals(new int[] {0}, stream.get("prefix_key").schema().primaryKey());
            assertArrayEquals(new int[] {0, 3}, stream.get("versioned").schema().primaryKey());
            assertArrayEquals(
                    new int[] {0, 3},
                    stream.get("versioned_stand_in_key").schema().primaryKey());
            assertEquals(
                    List.of("q't", "b\\s", "a,b", " sp", "", "nl\n", "?", "é"),
                    stream.get("labels").schema().columns().get(1).labels());
            List<ColumnDefinition> strings = stream.get("strings").schema().definitions();
            assertEquals(
                    List.of("varchar", 300L, "ucs2"),
                    List.of(
                            strings.get(6).type(),
                            strings.get(6).length(),
                            strings.get(6).charset()),
                    "a length in characters, not bytes");
            assertEquals(
                    List.of("char", 64L, "utf32"),
                    List.of(
                            strings.get(5).type(),
                            strings.get(5).length(),
                            strings.get(5).charset()));
            assertEquals(ColumnDefinition.of("b255", "binary", true).withLength(255L), strings.get(3));
            assertEquals(
                    List.of("geometry", "point", "geometrycollection"),
                    stream.get("spatial").schema().definitions().subList(1, 4).stream()
                            .map(ColumnDefinition::type)
                            .toList());
            assertEquals(
                    List.of(false, false, true),
                    stream.get("stand_in_key").schema().definitions().stream()
                            .map(ColumnDefinition::nullable)
                            .toList());
            try (Connection c = SourceConnection.open(source)) {
                CharsetMap charsets = CharsetMap.load(c);
                for (String table : TABLES.keySet()) {
                    compare(c, db, table, charsets, stream.get(table), failures);
                }
                assertEquals(Optional.empty(), CatalogSchema.read(c, db, "no_such_table", charsets));
            }
        }
        failures.forEach(f -> System.out.println("  FAIL [" + version + "] " + f));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void compare(
            Connection c, String db, String table, CharsetMap charsets, BinlogTap.Table stream, List<String> failures)
            throws Exception {
        TableSchema catalog = CatalogSchema.read(c, db, table, charsets).orElseThrow();
        failures.addAll(Differences.schema(stream.schema(), catalog));
        SnapshotCells cells = new SnapshotCells(catalog);
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + cells.selectList() + " FROM " + SnapshotCells.quoted(db)
                        + "." + SnapshotCells.quoted(table))) {
            rs.next();
            Serializable[] snapshot = cells.read(rs);
            Differences.cells(catalog, stream.changes().get(0).after(), snapshot)
                    .forEach(d -> failures.add(table + "." + d));
        }
    }

    @org.junit.jupiter.api.Test
    void unsupportedTypesAreRefusedNamingTheColumn() {
        for (String type : List.of("json", "vector", "xml")) {
            var col = new CatalogSchema.CatalogColumn("db.t", "c", type, type, 0, 0, 0, 0, null);
            var e = assertThrows(CatalogSchema.UnsupportedColumnException.class, () -> CatalogSchema.kindOf(col));
            assertTrue(e.getMessage().contains("column `c` of db.t"), e.getMessage());
        }
    }
}
