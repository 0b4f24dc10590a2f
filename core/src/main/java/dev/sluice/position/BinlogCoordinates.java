package dev.sluice.position;

import java.util.Objects;

/**
 * A place in one server's binlog: file name and byte offset. Ordered by the file's sequence number (the digits
 * after the last '.'), compared as a number because the suffix widens past 999999, then by offset. Only meaningful
 * on the server that wrote the file; a snapshot chunk's read point and the stream's read position are compared on
 * one connection's server, never across a failover.
 */
public record BinlogCoordinates(String file, long offset) implements Comparable<BinlogCoordinates> {
    public BinlogCoordinates {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public int compareTo(BinlogCoordinates other) {
        if (file.equals(other.file)) { // the common case, once per event: no file name parsing
            return Long.compare(offset, other.offset);
        }
        int byFile = Long.compare(sequence(file), sequence(other.file));
        return byFile != 0 ? byFile : file.compareTo(other.file);
    }

    public boolean isAfter(BinlogCoordinates other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(BinlogCoordinates other) {
        return compareTo(other) < 0;
    }

    private static long sequence(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return file + ":" + offset;
    }
}
