package dev.sluice.snapshot;

import dev.sluice.schema.Column;
import dev.sluice.schema.TableSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** What differs between the stream's view of a table and a snapshot's, as lines for a failure list. */
public final class Differences {
    private Differences() {}

    /**
     * Every difference between two schemas of one table, by column, including the column definitions published to
     * the {@code _schemas} topic; the table id is not compared.
     */
    public static List<String> schema(TableSchema stream, TableSchema catalog) {
        List<String> out = new ArrayList<>();
        String table = stream.qualifiedName();
        if (!stream.qualifiedName().equals(catalog.qualifiedName())) {
            out.add(table + ": the catalog names it " + catalog.qualifiedName());
        }
        if (!Arrays.equals(stream.primaryKey(), catalog.primaryKey())) {
            out.add(table + ": primary key " + Arrays.toString(stream.primaryKey()) + " in the stream, "
                    + Arrays.toString(catalog.primaryKey()) + " in the catalog");
        }
        if (stream.columns().size() != catalog.columns().size()) {
            out.add(table + ": " + stream.columns().size() + " columns in the stream, "
                    + catalog.columns().size() + " in the catalog");
            return out;
        }
        for (int i = 0; i < stream.columns().size(); i++) {
            Column s = stream.columns().get(i);
            Column k = catalog.columns().get(i);
            if (!s.equals(k)) {
                out.add(table + " column " + (i + 1) + ": stream " + s + ", catalog " + k);
            }
        }
        if (!stream.definitions().equals(catalog.definitions())) {
            for (int i = 0;
                    i
                            < Math.max(
                                    stream.definitions().size(),
                                    catalog.definitions().size());
                    i++) {
                Object s =
                        i < stream.definitions().size() ? stream.definitions().get(i) : null;
                Object k =
                        i < catalog.definitions().size() ? catalog.definitions().get(i) : null;
                if (!java.util.Objects.equals(s, k)) {
                    out.add(table + " column " + (i + 1) + " definition: stream " + s + ", catalog " + k);
                }
            }
        }
        return out;
    }

    /** One column whose cells differ; {@code column} is the column's name, or a note when the rows do not align. */
    public record Cell(String column, String stream, String snapshot) {
        @Override
        public String toString() {
            return column + ": stream cell " + stream + ", snapshot cell " + snapshot;
        }
    }

    /** Each column whose cells differ (class or value; arrays by content). */
    public static List<Cell> cells(TableSchema schema, Serializable[] stream, Serializable[] snapshot) {
        List<Cell> out = new ArrayList<>();
        if (stream.length != snapshot.length) {
            out.add(new Cell("(row)", stream.length + " cells", snapshot.length + " cells"));
            return out;
        }
        for (int i = 0; i < stream.length; i++) {
            if (!Objects.deepEquals(stream[i], snapshot[i])) {
                out.add(new Cell(schema.columns().get(i).name(), describe(stream[i]), describe(snapshot[i])));
            }
        }
        return out;
    }

    public static String describe(Serializable cell) {
        if (cell == null) {
            return "null";
        }
        String value = cell instanceof byte[] b
                ? Arrays.toString(Arrays.copyOf(b, Math.min(b.length, 24)))
                        + (b.length > 24 ? "...(" + b.length + " bytes)" : "")
                : cell.toString();
        return cell.getClass().getSimpleName() + " " + value;
    }
}
