package dev.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.position.Flavor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The binlog settings that would lose or misread data are refused, each named with its fix: partial row images
 * (MINIMAL, NOBLOB) and MySQL's partial JSON updates. MySQL is not available as a test server here, so the
 * variable values are given directly; the MariaDB ones are also checked against a real server in RowImageTest.
 */
class ServerCheckTest {
    private static Map<String, String> goodMariaDb() {
        return new HashMap<>(Map.of(
                "log_bin",
                "ON",
                "binlog_format",
                "ROW",
                "binlog_row_image",
                "FULL",
                "binlog_row_metadata",
                "FULL",
                "log_bin_compress",
                "OFF",
                "server_id",
                "1"));
    }

    private static Map<String, String> goodMySql() {
        return new HashMap<>(Map.of(
                "log_bin",
                "ON",
                "binlog_format",
                "ROW",
                "binlog_row_image",
                "FULL",
                "binlog_row_metadata",
                "FULL",
                "gtid_mode",
                "ON",
                "binlog_row_value_options",
                "",
                "binlog_transaction_compression",
                "OFF",
                "server_id",
                "1"));
    }

    @Test
    void fullImagesPass() {
        assertEquals(List.of(), ServerCheck.settingProblems(Flavor.MARIADB, goodMariaDb()));
        assertEquals(List.of(), ServerCheck.settingProblems(Flavor.MYSQL, goodMySql()));
    }

    @Test
    void partialRowImagesAreRefused() {
        for (String image : List.of("MINIMAL", "NOBLOB", "noblob")) {
            for (Flavor flavor : Flavor.values()) {
                Map<String, String> vars = flavor == Flavor.MARIADB ? goodMariaDb() : goodMySql();
                vars.put("binlog_row_image", image);
                List<String> problems = ServerCheck.settingProblems(flavor, vars);
                assertEquals(1, problems.size(), problems.toString());
                assertTrue(
                        problems.get(0).startsWith("binlog_row_image is " + image + ", needs FULL"), problems.get(0));
                assertTrue(problems.get(0).contains("SET GLOBAL binlog_row_image=FULL"), problems.get(0));
            }
        }
    }

    @Test
    void mySqlPartialJsonUpdatesAreRefused() {
        Map<String, String> vars = goodMySql();
        vars.put("binlog_row_value_options", "PARTIAL_JSON");
        List<String> problems = ServerCheck.settingProblems(Flavor.MYSQL, vars);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("binlog_row_value_options is PARTIAL_JSON, needs ''"), problems.get(0));
        assertTrue(problems.get(0).contains("SET GLOBAL binlog_row_value_options=''"), problems.get(0));
    }
}
