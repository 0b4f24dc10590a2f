package dev.sluice.types;

import static dev.sluice.testkit.Sql.scalar;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/** Named time zones need the server's time zone tables; loads one zone from the system's tzdata if missing. */
public final class ServerTimeZones {
    private ServerTimeZones() {}

    public static boolean available(Connection c, String zone) throws Exception {
        if (!zone.contains("/") || known(c, zone)) {
            return true;
        }
        Path file = Path.of("/usr/share/zoneinfo", zone);
        if (!java.nio.file.Files.exists(file)
                || !java.nio.file.Files.isExecutable(Path.of("/usr/bin/mariadb-tzinfo-to-sql"))) {
            return false;
        }
        Process p = new ProcessBuilder("/usr/bin/mariadb-tzinfo-to-sql", file.toString(), zone)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String sql = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            return false;
        }
        // Not binlogged: the zone data is the server's, not captured data.
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_log_bin = 0");
            st.execute("USE mysql");
            for (String statement : sql.split(";\n")) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
            st.execute("SET SESSION sql_log_bin = 1");
        }
        return known(c, zone);
    }

    private static boolean known(Connection c, String zone) throws Exception {
        return scalar(c, "SELECT CONVERT_TZ('2024-01-01 00:00:00', '+00:00', '" + zone + "')") != null;
    }
}
