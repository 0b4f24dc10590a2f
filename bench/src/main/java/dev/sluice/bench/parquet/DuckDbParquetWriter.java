package dev.sluice.bench.parquet;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writer (a): rows appended with DuckDB's Appender into a table of an in-memory database, then {@code COPY
 * (SELECT ...) TO 'file' (FORMAT parquet, COMPRESSION zstd)}. The rows sit in DuckDB's native memory until the copy,
 * outside the Java heap: the benchmark reports RSS beside heap for that reason.
 */
final class DuckDbParquetWriter {
    private DuckDbParquetWriter() {}

    static void write(long rows, Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE wide (" + WideRows.DUCKDB_COLUMNS + ")");
            long started = System.nanoTime();
            try (DuckDBAppender appender =
                    c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "wide")) {
                for (long i = 0; i < rows; i++) {
                    appender.beginRow()
                            .append(WideRows.id(i))
                            .appendDecimal(WideRows.amountUnscaled(i))
                            .append(WideRows.name(i))
                            .append(timestamp(WideRows.tsMicros(i)))
                            .append(WideRows.ratio(i))
                            .append(WideRows.flag(i))
                            .append(WideRows.payload(i))
                            .endRow();
                }
            }
            long appended = System.nanoTime();
            st.execute("COPY (SELECT * FROM wide) TO '" + file.toString().replace("'", "''")
                    + "' (FORMAT parquet, COMPRESSION zstd)");
            // Where the time goes, for the why-document: the Appender's calls or the Parquet encoding.
            System.err.printf(
                    "duckdb %d rows: append %d ms, COPY to Parquet %d ms%n",
                    rows, (appended - started) / 1_000_000, (System.nanoTime() - appended) / 1_000_000);
        }
    }

    private static LocalDateTime timestamp(long micros) {
        return LocalDateTime.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000), (int) Math.floorMod(micros, 1_000_000) * 1000, ZoneOffset.UTC);
    }
}
