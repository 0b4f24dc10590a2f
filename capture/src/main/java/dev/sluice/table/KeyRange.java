package dev.sluice.table;

import java.util.List;

/**
 * One chunk of a table as a range of its primary key: the rows after {@code after} (exclusive) up to and including
 * {@code upTo}, in the key order the server sorts by. A null {@code after} starts at the table's first row; a null
 * {@code upTo} runs to its end, rows inserted beyond the last key included, so planning ranges one after another
 * ({@link TableReader#nextRange}) leaves no row out. Key values are those {@link KeyColumns} reads, one per key
 * column in key order: BigDecimal, String or byte[].
 *
 * <p>Immutable: the lists are copies, and the byte[] values in them must not be changed. Equality compares byte[]
 * values by identity, as for any record; compare ranges by their rows, not with equals.
 */
public record KeyRange(List<Object> after, List<Object> upTo) {
    /** Every row of the table; also the one range of a table without a key to page by. */
    public static final KeyRange WHOLE_TABLE = new KeyRange(null, null);

    public KeyRange {
        after = after == null ? null : List.copyOf(after);
        upTo = upTo == null ? null : List.copyOf(upTo);
    }

    /** No row of the table comes after this range. */
    public boolean isLast() {
        return upTo == null;
    }
}
