package dev.sluice.load;

import dev.sluice.event.RowImage;
import dev.sluice.position.SourceVersion;
import dev.sluice.schema.SchemaVersion;

/**
 * The last change of one key in a batch: the row to write ({@link Kind#UPSERT}, its {@code after} image) or the row
 * to delete ({@link Kind#DELETE}, its {@code before} image, which holds the key), with the source version it was
 * made at and the schema version it was encoded with. {@code origin} names the record it came from, for errors;
 * {@code sourceTimeMs} is its source commit time (binlog seconds), for the lag.
 */
public record RowChange(
        Kind kind, RowImage row, SourceVersion version, SchemaVersion schema, Origin origin, long sourceTimeMs) {
    public enum Kind {
        UPSERT,
        DELETE
    }

    /** Where a change was read: what an error about it names. */
    public record Origin(String topic, int partition, long offset) {
        @Override
        public String toString() {
            return topic + "[" + partition + "]@" + offset;
        }
    }
}
