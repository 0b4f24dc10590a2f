package dev.sluice.bench;

import dev.sluice.event.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loader (c), the ceiling: it folds the whole backlog in memory into the final row of each key and then writes only
 * those rows, with one {@code COPY ... FROM STDIN} (text format) per table in one transaction: the fewest bytes and
 * statements PostgreSQL can be given for the result. It needs the whole backlog before its first write, so it is a
 * ceiling, not a loader.
 */
final class CopyWriter implements BaselineWriter {
    private static final int CHUNK_CHARS = 1 << 16;

    private final Connection c;
    private final Map<BaselineTable, Map<String, String[]>> rows = new LinkedHashMap<>();
    private long copyNanos;

    CopyWriter(Connection c) throws SQLException {
        this.c = c;
        c.setAutoCommit(false);
    }

    @Override
    public void accept(BaselineTable table, ChangeEvent event) {
        Map<String, String[]> t = rows.computeIfAbsent(table, x -> new HashMap<>());
        if (BaselineWriter.isDelete(event)) {
            t.remove(table.keyOf(event.key()));
        } else {
            String[] cells = table.cells(event.after());
            t.put(cells[0], cells);
        }
    }

    @Override
    public void finish() throws SQLException {
        long started = System.nanoTime();
        for (Map.Entry<BaselineTable, Map<String, String[]>> e : rows.entrySet()) {
            copy(e.getKey(), e.getValue());
        }
        c.commit();
        copyNanos = System.nanoTime() - started;
    }

    /** The time the COPY statements and the commit took, without reading and folding the topics. */
    double copySeconds() {
        return copyNanos / 1e9;
    }

    private void copy(BaselineTable t, Map<String, String[]> final_) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + t.name() + " (" + t.columnList() + ") FROM STDIN");
        try {
            StringBuilder chunk = new StringBuilder(CHUNK_CHARS + 4096);
            for (String[] cells : final_.values()) {
                appendRow(chunk, t, cells);
                if (chunk.length() >= CHUNK_CHARS) {
                    write(in, chunk);
                }
            }
            write(in, chunk);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void appendRow(StringBuilder out, BaselineTable t, String[] cells) {
        for (int i = 0; i < cells.length; i++) {
            out.append(i > 0 ? "\t" : "");
            String text = t.copyText(i, cells[i]);
            if (text == null) {
                out.append("\\N");
            } else {
                escape(out, text);
            }
        }
        out.append('\n');
    }

    /** COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped. */
    private static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }

    private static void write(CopyIn in, StringBuilder chunk) throws SQLException {
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
    }
}
