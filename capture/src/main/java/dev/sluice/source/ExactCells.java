package dev.sluice.source;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;

/**
 * The cells Sluice decodes itself instead of the binlog client library (temporal types; see {@link TemporalCodec}),
 * and MySQL's binary JSON, turned into its JSON text here so that nothing after the reader needs the library.
 * Used by the row deserializers in {@link ExactRowDeserializers}.
 */
final class ExactCells {
    private ExactCells() {}

    static boolean handles(ColumnType type) {
        return switch (type) {
            case DATE, YEAR, TIME, TIME_V2, DATETIME, DATETIME_V2, TIMESTAMP, TIMESTAMP_V2, JSON -> true;
            default -> false;
        };
    }

    static Serializable decode(ColumnType type, int meta, ByteArrayInputStream in) throws IOException {
        return switch (type) {
            case DATE -> TemporalCodec.date(in);
            case YEAR -> TemporalCodec.year(in);
            case TIME_V2 -> TemporalCodec.time2(meta, in);
            case DATETIME_V2 -> TemporalCodec.datetime2(meta, in);
            case TIMESTAMP_V2 -> TemporalCodec.timestamp2(meta, in);
            case JSON -> JsonBinary.parseAsString(in.read(in.readInteger(meta)));
            default ->
                throw new IOException("Column type " + type + " uses the pre-MySQL-5.6 temporal storage format, "
                        + "which Sluice does not decode. Rebuild the table with ALTER TABLE ... FORCE to convert it.");
        };
    }
}
