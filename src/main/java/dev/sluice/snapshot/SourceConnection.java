package dev.sluice.snapshot;
// TEMP STUB
public final class SourceConnection {
    public static java.sql.Connection open(dev.sluice.config.SluiceConfig.Source source) throws java.sql.SQLException {
        java.sql.Connection c = new dev.sluice.source.ServerCheck(source).connect();
        try (java.sql.Statement st = c.createStatement()) { st.execute("SET time_zone='+00:00'"); }
        return c;
    }
}
