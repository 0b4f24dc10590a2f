package dev.sluice.source;

import dev.sluice.schema.DeclaredTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@link DeclaredTypes} from the source's {@code information_schema}, on a short-lived JDBC connection. Asked only
 * for tables with a BINARY(16) or BINARY(4)-shaped column, once per table definition the binlog announces, so it
 * is off the per-row path. A failure is a connection failure: the pipeline reconnects and resumes from its
 * committed position rather than decode the column without knowing its type.
 */
public final class CatalogTypes implements DeclaredTypes {
    private final ServerCheck server;

    public CatalogTypes(ServerCheck server) {
        this.server = server;
    }

    @Override
    public Map<String, String> of(String database, String table) {
        Map<String, String> types = new HashMap<>();
        try (Connection c = server.connect();
                PreparedStatement st =
                        c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS "
                                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            st.setString(1, database);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        } catch (SQLException e) {
            throw new BinlogReader.BinlogConnectionException(
                    "Cannot read the column types of " + database + "." + table + " from the source's catalog: "
                            + e.getMessage(),
                    e);
        }
        return types;
    }
}
