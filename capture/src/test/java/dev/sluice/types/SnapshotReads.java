package dev.sluice.types;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.SluiceConfig;
import dev.sluice.event.EnvelopeEncoder;
import dev.sluice.event.Op;
import dev.sluice.event.SourceMeta;
import dev.sluice.schema.CharsetMap;
import dev.sluice.schema.TableSchema;
import dev.sluice.table.CatalogSchema;
import dev.sluice.table.SnapshotCells;
import dev.sluice.table.SourceConnection;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The matrix's tables read the way a snapshot reads them: one {@link SourceConnection}, each table's schema from
 * {@link CatalogSchema} (read once, before any row), its rows selected with {@link SnapshotCells} inside a
 * consistent snapshot, streamed, and encoded with {@link EnvelopeEncoder} under the catalog's schema.
 */
final class SnapshotReads implements AutoCloseable {
    /** One row as the snapshot read it; {@code refused} when SnapshotCells would not read it. */
    record Image(Serializable[] cells, JsonNode after, String key, RuntimeException refused) {}

    private final Connection c;
    private final String db;
    private final Map<String, TableSchema> schemas = new LinkedHashMap<>();
    private final Map<String, String> schemaFailures = new HashMap<>();
    private final Map<String, SnapshotCells> cells = new HashMap<>();
    private final EnvelopeEncoder encoder;

    SnapshotReads(SluiceConfig.Source source, String db, List<String> tables) throws SQLException {
        this.c = SourceConnection.open(source);
        this.db = db;
        this.encoder = new EnvelopeEncoder("t_" + db);
        CharsetMap charsets = CharsetMap.load(c);
        for (String table : tables) {
            try {
                TableSchema schema = CatalogSchema.read(c, db, table, charsets).orElseThrow();
                schemas.put(table, schema);
                cells.put(table, new SnapshotCells(schema));
            } catch (RuntimeException e) {
                schemaFailures.put(table, e.toString());
            }
        }
    }

    /** The catalog's schema, or null when reading it failed ({@link #schemaFailure}). */
    TableSchema schema(String table) {
        return schemas.get(table);
    }

    String schemaFailure(String table) {
        return schemaFailures.get(table);
    }

    /** Every row of every table as of one consistent snapshot: table → id → image. */
    Map<String, Map<Integer, Image>> readAll() throws SQLException {
        Map<String, Map<Integer, Image>> images = new HashMap<>();
        try (Statement st = c.createStatement()) {
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            for (String table : schemas.keySet()) {
                images.put(table, read(table));
            }
            st.execute("COMMIT");
        }
        return images;
    }

    /** One table, streamed (a small fetch size, so the driver really streams rather than buffering it all). */
    private Map<Integer, Image> read(String table) throws SQLException {
        SnapshotCells reader = cells.get(table);
        EnvelopeEncoder.TableEncoding encoding = encoder.prepare(schemas.get(table));
        Map<Integer, Image> rows = new HashMap<>();
        try (Statement st = c.createStatement()) {
            st.setFetchSize(16);
            try (ResultSet rs =
                    st.executeQuery("SELECT " + reader.selectList() + " FROM " + db + "." + table + " ORDER BY id")) {
                while (rs.next()) {
                    rows.put(rs.getInt(1), image(reader, encoding, rs));
                }
            }
        }
        return rows;
    }

    private Image image(SnapshotCells reader, EnvelopeEncoder.TableEncoding encoding, ResultSet rs)
            throws SQLException {
        Serializable[] row;
        try {
            row = reader.read(rs);
        } catch (CatalogSchema.UnsupportedColumnException e) {
            return new Image(null, null, null, e);
        }
        byte[] value = encoder.value(Op.CREATE, encoding, null, row, new SourceMeta("", "", 0, 0, 0, 0), 0, 0, 0);
        String key = new String(encoder.key(encoding, row), StandardCharsets.UTF_8);
        try {
            return new Image(row, JsonValues.MAPPER.readTree(value).get("after"), key, null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the encoder wrote JSON that does not parse", e);
        }
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
