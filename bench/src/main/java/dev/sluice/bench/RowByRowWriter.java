package dev.sluice.bench;

import dev.sluice.event.ChangeEvent;
import dev.sluice.event.Op;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Loader (a), what most hand-written loaders do: one statement per change event with autocommit, INSERT for an
 * insert, UPDATE by key for an update, DELETE by key for a delete. Statements are prepared once per table.
 */
final class RowByRowWriter implements BaselineWriter {
    private final Connection c;
    private final Map<String, PreparedStatement[]> statements = new HashMap<>();

    RowByRowWriter(Connection c) throws SQLException {
        this.c = c;
        c.setAutoCommit(true);
    }

    @Override
    public void accept(BaselineTable table, ChangeEvent event) throws SQLException {
        PreparedStatement[] s = statements.computeIfAbsent(table.name(), n -> prepare(table));
        if (event.op() == Op.DELETE) {
            s[2].setString(1, table.keyOf(event.key()));
            s[2].executeUpdate();
            return;
        }
        String[] cells = table.cells(event.after());
        PreparedStatement ps = event.op() == Op.UPDATE ? s[1] : s[0];
        if (event.op() == Op.UPDATE) {
            // SET the columns after the key, then WHERE key = the first cell.
            for (int i = 1; i < cells.length; i++) {
                ps.setString(i, cells[i]);
            }
            ps.setString(cells.length, cells[0]);
        } else {
            for (int i = 0; i < cells.length; i++) {
                ps.setString(i + 1, cells[i]);
            }
        }
        ps.executeUpdate();
    }

    private PreparedStatement[] prepare(BaselineTable t) {
        int n = t.columns().size();
        String values = IntStream.range(0, n).mapToObj(t::parameter).collect(Collectors.joining(", "));
        String set = IntStream.range(1, n)
                .mapToObj(i -> BaselineTable.quote(t.columns().get(i)) + " = " + t.parameter(i))
                .collect(Collectors.joining(", "));
        try {
            return new PreparedStatement[] {
                c.prepareStatement("INSERT INTO " + t.name() + " (" + t.columnList() + ") VALUES (" + values + ")"),
                c.prepareStatement("UPDATE " + t.name() + " SET " + set + " WHERE " + t.key() + " = " + t.parameter(0)),
                c.prepareStatement("DELETE FROM " + t.name() + " WHERE " + t.key() + " = " + t.parameter(0))
            };
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare the statements of " + t.name(), e);
        }
    }

    @Override
    public void finish() {}
}
