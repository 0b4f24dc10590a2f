package dev.sluice.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;

/**
 * One decoded row image (an envelope's {@code before} or {@code after}, or a record key): its cells in column order,
 * each the exact JSON value Sluice wrote (docs/types.md): integers as {@code IntNode}, {@code LongNode} or
 * {@code BigIntegerNode} (BIGINT UNSIGNED above 2^63), other numbers (FLOAT, DOUBLE) as a {@code DecimalNode} of the
 * exact decimal written, which is the shortest that reads back as the same float or double (a negative zero as a
 * {@code DoubleNode}, which BigDecimal cannot hold); DECIMAL, temporal
 * values, text and base64 binary as text; BIT(1) as a boolean; a spatial value as its {@code {"wkb","srid"}} object;
 * SQL NULL as {@code NullNode}.
 *
 * <p>Immutable. Equal when the names and the cells are equal, in order.
 */
public final class RowImage {
    private final ColumnNames columns;
    private final JsonNode[] cells;

    RowImage(ColumnNames columns, JsonNode[] cells) {
        this.columns = columns;
        this.cells = cells;
    }

    /** An image of these columns and cells (tests, tools); the decoder builds its images without copying. */
    public static RowImage of(List<String> names, List<JsonNode> cells) {
        if (names.size() != cells.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + cells.size() + " cells");
        }
        return new RowImage(new ColumnNames(names.toArray(String[]::new)), cells.toArray(JsonNode[]::new));
    }

    public int size() {
        return cells.length;
    }

    public String name(int column) {
        return columns.name(column);
    }

    public List<String> names() {
        return columns.asList();
    }

    /** The cell of column {@code column} (0-based, in the image's order). */
    public JsonNode cell(int column) {
        return cells[column];
    }

    /** The cell of the column named {@code name}, or null when the image has no such column. */
    public JsonNode get(String name) {
        int i = columns.indexOf(name);
        return i < 0 ? null : cells[i];
    }

    /** The image as a JSON object, in column order (for printing and for code that wants a tree). */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < cells.length; i++) {
            node.set(columns.name(i), cells[i]);
        }
        return node;
    }

    @Override
    public boolean equals(Object o) {
        return o == this
                || (o instanceof RowImage other && columns.equals(other.columns) && Arrays.equals(cells, other.cells));
    }

    @Override
    public int hashCode() {
        return 31 * columns.hashCode() + Arrays.hashCode(cells);
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
