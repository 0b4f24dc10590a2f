package dev.sluice.bench;

import dev.sluice.event.ChangeEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Loader (b), the usual batching loader: it holds up to {@code batchEvents} change events, keeps the last change of
 * each key (a multi-row {@code ON CONFLICT DO UPDATE} may not touch a row twice), and writes them in one transaction:
 * one {@code DELETE ... WHERE key = ANY(...)} per table and multi-row {@code INSERT ... ON CONFLICT (key) DO UPDATE}
 * statements of up to {@code batchEvents} rows. After folding, a key is either deleted or upserted, so the order of
 * the two statements does not matter.
 */
final class MultiRowWriter implements BaselineWriter {
    /** PostgreSQL's limit of bind parameters per statement is 65,535; stay well under it. */
    private static final int MAX_PARAMETERS = 30_000;

    private final Connection c;
    private final int batchEvents;
    private final Map<BaselineTable, Map<String, String[]>> held = new LinkedHashMap<>();
    private int heldEvents;

    MultiRowWriter(Connection c, int batchEvents) throws SQLException {
        this.c = c;
        this.batchEvents = batchEvents;
        c.setAutoCommit(false);
    }

    /** A delete is held as a null row. */
    @Override
    public void accept(BaselineTable table, ChangeEvent event) throws SQLException {
        Map<String, String[]> rows = held.computeIfAbsent(table, t -> new LinkedHashMap<>());
        if (BaselineWriter.isDelete(event)) {
            rows.put(table.keyOf(event.key()), null);
        } else {
            String[] cells = table.cells(event.after());
            rows.remove(cells[0]); // keep the key's place at its last change
            rows.put(cells[0], cells);
        }
        if (++heldEvents >= batchEvents) {
            flush();
        }
    }

    @Override
    public void finish() throws SQLException {
        flush();
    }

    private void flush() throws SQLException {
        for (Map.Entry<BaselineTable, Map<String, String[]>> e : held.entrySet()) {
            delete(e.getKey(), e.getValue());
            upsert(e.getKey(), e.getValue());
        }
        c.commit();
        held.clear();
        heldEvents = 0;
    }

    private void delete(BaselineTable t, Map<String, String[]> rows) throws SQLException {
        List<String> keys = new ArrayList<>();
        rows.forEach((key, cells) -> {
            if (cells == null) {
                keys.add(key);
            }
        });
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM " + t.name() + " WHERE " + t.key() + " = ANY(CAST(? AS bigint[]))")) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            ps.executeUpdate();
        }
    }

    private void upsert(BaselineTable t, Map<String, String[]> rows) throws SQLException {
        List<String[]> upserts = rows.values().stream().filter(r -> r != null).toList();
        int perStatement =
                Math.max(1, Math.min(batchEvents, MAX_PARAMETERS / t.columns().size()));
        for (int from = 0; from < upserts.size(); from += perStatement) {
            List<String[]> chunk = upserts.subList(from, Math.min(upserts.size(), from + perStatement));
            try (PreparedStatement ps = c.prepareStatement(upsertSql(t, chunk.size()))) {
                int p = 1;
                for (String[] cells : chunk) {
                    for (String cell : cells) {
                        ps.setString(p++, cell);
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    private static String upsertSql(BaselineTable t, int rows) {
        String row = IntStream.range(0, t.columns().size())
                .mapToObj(t::parameter)
                .collect(Collectors.joining(", ", "(", ")"));
        String set = t.columns().stream()
                .skip(1)
                .map(BaselineTable::quote)
                .map(q -> q + " = EXCLUDED." + q)
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + t.name() + " (" + t.columnList() + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, row)) + " ON CONFLICT (" + t.key()
                + ") DO UPDATE SET " + set;
    }
}
