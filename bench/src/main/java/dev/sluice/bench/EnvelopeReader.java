package dev.sluice.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the checks need from a change event's JSON value — {@code op} and the checked columns of the
 * {@code before} and {@code after} images, each cell as its JSON text (a number's literal, a string's content,
 * {@code true}/{@code false}, null for null or absent) — and skips the rest. Sluice's envelope and Debezium's (with
 * schemas off) have the same shape. A cell of another JSON type than its column's marks the record as having a wrong
 * type, which a checksum of the cells' text alone would not see. Not thread-safe.
 */
final class EnvelopeReader {
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Integer> columnIndex = new HashMap<>();
    private final CheckedColumn.Kind[] kinds;
    private boolean wrongType;

    /** A record's op, its images' cells in column order (null when the image is null or absent), and the type flag. */
    record Parsed(String op, String[] before, String[] after, boolean wrongType) {}

    EnvelopeReader(List<String> columns, List<CheckedColumn.Kind> kinds) {
        this.kinds = kinds.toArray(CheckedColumn.Kind[]::new);
        for (int i = 0; i < columns.size(); i++) {
            columnIndex.put(columns.get(i), i);
        }
    }

    static EnvelopeReader of(List<CheckedColumn> columns) {
        return new EnvelopeReader(
                columns.stream().map(CheckedColumn::name).toList(),
                columns.stream().map(CheckedColumn::kind).toList());
    }

    Parsed read(byte[] value) {
        String op = null;
        String[] before = null;
        String[] after = null;
        wrongType = false;
        try (JsonParser p = JSON.createParser(value)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                if (field.equals("op")) {
                    op = p.getText();
                } else if (field.equals("after") && token == JsonToken.START_OBJECT) {
                    after = image(p);
                } else if (field.equals("before") && token == JsonToken.START_OBJECT) {
                    before = image(p);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable row change in a table topic", e);
        }
        return new Parsed(op, before, after, wrongType);
    }

    private String[] image(JsonParser p) throws IOException {
        String[] cells = new String[kinds.length];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            Integer index = columnIndex.get(p.currentName());
            JsonToken cell = p.nextToken();
            if (index == null) {
                p.skipChildren();
            } else if (cell.isStructStart()) {
                // An object or array is never a scalar column's text: make the checksum differ.
                cells[index] = "{structured}";
                wrongType = true;
                p.skipChildren();
            } else if (cell != JsonToken.VALUE_NULL) {
                cells[index] = p.getText();
                wrongType |= !kinds[index].matches(cell);
            }
        }
        return cells;
    }
}
