package dev.sluice.source;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import dev.sluice.config.SluiceConfig;
import dev.sluice.schema.TableSchema;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The stream's own view of one database, for tests that compare another read with it: reads the binlog as the
 * pipeline does ({@link BinlogReader}, {@link SchemaBuilder} with the catalog's declared types) and keeps, per
 * table, the schema of its first TABLE_MAP and every row image as the decoder's cells.
 */
public final class BinlogTap {
    /** One row change: {@code op} is c, u or d; before/after as the decoder produced them (null where absent). */
    public record RowChange(String op, Serializable[] before, Serializable[] after) {}

    /** A table as the stream saw it. */
    public record Table(TableSchema schema, List<RowChange> changes) {}

    private BinlogTap() {}

    /**
     * Reads from {@code start.current()} until {@code rowChanges} row changes of {@code database} have arrived.
     * Connects with a server_id of its own, so it can run beside a pipeline on the same source.
     */
    public static Map<String, Table> read(
            SluiceConfig.Source source, ServerInfo start, String database, int rowChanges, Duration timeout)
            throws InterruptedException {
        SluiceConfig.Source own = new SluiceConfig.Source(
                source.host(),
                source.port(),
                source.user(),
                source.password(),
                ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000),
                source.heartbeat(),
                source.connectRetry());
        SchemaBuilder schemas = new SchemaBuilder(start.charsets(), new CatalogTypes(new ServerCheck(own)));
        Map<Long, String> tableById = new HashMap<>();
        Map<String, Table> tables = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        try (BinlogReader reader = BinlogReader.open(own, start.current(), start.charsets())) {
            while (seen < rowChanges) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Timed out after " + timeout.toSeconds() + " s reading the binlog: " + seen
                            + " of " + rowChanges + " row changes of " + database);
                }
                SourceItem item = reader.poll(100);
                if (item instanceof SourceItem.Failure f) {
                    throw new AssertionError("The binlog read failed", f.cause());
                }
                if (item instanceof SourceItem.BinlogEvent e) {
                    seen += take(e.event(), database, schemas, tableById, tables);
                }
            }
        }
        return tables;
    }

    /** Keeps what {@code event} says about {@code database}; returns the number of row changes it held. */
    private static int take(
            Event event,
            String database,
            SchemaBuilder schemas,
            Map<Long, String> tableById,
            Map<String, Table> tables) {
        Object data = event.getData();
        if (data instanceof TableMapEventData d && d.getDatabase().equals(database)) {
            tableById.put(d.getTableId(), d.getTable());
            tables.computeIfAbsent(d.getTable(), t -> new Table(schemas.build(d), new ArrayList<>()));
            return 0;
        }
        if (data instanceof WriteRowsEventData d && tableById.containsKey(d.getTableId())) {
            List<RowChange> changes = tables.get(tableById.get(d.getTableId())).changes();
            d.getRows().forEach(row -> changes.add(new RowChange("c", null, row)));
            return d.getRows().size();
        }
        if (data instanceof UpdateRowsEventData d && tableById.containsKey(d.getTableId())) {
            List<RowChange> changes = tables.get(tableById.get(d.getTableId())).changes();
            d.getRows().forEach(row -> changes.add(new RowChange("u", row.getKey(), row.getValue())));
            return d.getRows().size();
        }
        if (data instanceof DeleteRowsEventData d && tableById.containsKey(d.getTableId())) {
            List<RowChange> changes = tables.get(tableById.get(d.getTableId())).changes();
            d.getRows().forEach(row -> changes.add(new RowChange("d", row, null)));
            return d.getRows().size();
        }
        return 0;
    }
}
