package dev.sluice.event;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The column names of a row image, in order, shared by every image of the same layout: {@link EnvelopeDecoder} keeps
 * the last layout per topic and hands it to each image that has the same names, so a decoded row costs one array
 * of cells, not a map. Immutable, so images can go to other threads.
 */
final class ColumnNames {
    private final String[] names;
    private final Map<String, Integer> index;

    ColumnNames(String[] names) {
        this.names = names;
        this.index = new HashMap<>(names.length * 2);
        for (int i = names.length - 1; i >= 0; i--) {
            index.put(names[i], i); // the first of a repeated name wins, as in a JSON tree
        }
    }

    int size() {
        return names.length;
    }

    String name(int i) {
        return names[i];
    }

    /** The position of {@code name}, or -1. */
    int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    List<String> asList() {
        return List.of(names);
    }

    /** Whether the first {@code count} names of {@code candidate} are exactly these names. */
    boolean sameAs(String[] candidate, int count) {
        if (count != names.length) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            // The parser canonicalizes field names, so the same name is usually the same instance.
            if (names[i] != candidate[i] && !names[i].equals(candidate[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof ColumnNames other && Arrays.equals(names, other.names));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names);
    }
}
