package dev.sluice.bench.parquet;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The MariaDB values at the edge of Parquet's types, written by each writer and read back by DuckDB: DECIMAL(65,30),
 * BIGINT UNSIGNED's maximum, TIME '838:59:59.123456' and the zero date. Prints what each writer kept, changed or
 * refused; docs/why-parquet-writer.md gives the lossless representation proposed for each that does not fit.
 *
 * <pre>java -cp "bench/target/sluice-bench.jar:$(cat bench/target/classpath.txt)" dev.sluice.bench.parquet.ParquetTypeProbe</pre>
 */
public final class ParquetTypeProbe {
    static final String DECIMAL_65_30 = "12345678901234567890123456789012345.123456789012345678901234567890";
    static final String UBIGINT_MAX = "18446744073709551615";
    static final String TIME_MAX = "838:59:59.123456";
    static final long TIME_MAX_MICROS = ((838L * 60 + 59) * 60 + 59) * 1_000_000 + 123_456;

    private ParquetTypeProbe() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("parquet-types");
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
            Probe p = new Probe(duckdb, dir);
            p.duckdb("DECIMAL(65,30) " + DECIMAL_65_30, "SELECT '" + DECIMAL_65_30 + "'::DECIMAL(65,30) AS v");
            p.parquetJava(
                    "DECIMAL(65,30) " + DECIMAL_65_30,
                    Types.buildMessage()
                            .required(PrimitiveTypeName.BINARY)
                            .as(LogicalTypeAnnotation.decimalType(30, 65))
                            .named("v")
                            .named("t"),
                    g -> g.append(
                            "v",
                            Binary.fromConstantByteArray(new BigDecimal(DECIMAL_65_30)
                                    .unscaledValue()
                                    .toByteArray())));
            p.duckdb("BIGINT UNSIGNED " + UBIGINT_MAX, "SELECT " + UBIGINT_MAX + "::UBIGINT AS v");
            p.parquetJava(
                    "BIGINT UNSIGNED " + UBIGINT_MAX,
                    Types.buildMessage()
                            .required(PrimitiveTypeName.INT64)
                            .as(LogicalTypeAnnotation.intType(64, false))
                            .named("v")
                            .named("t"),
                    g -> g.append("v", -1L)); // all 64 bits set: 2^64-1 as unsigned
            p.duckdb("TIME " + TIME_MAX + " as TIME", "SELECT '" + TIME_MAX + "'::TIME AS v");
            p.duckdb("TIME " + TIME_MAX + " as INTERVAL", "SELECT INTERVAL '" + TIME_MAX + "' AS v");
            p.parquetJava(
                    "TIME " + TIME_MAX + " as TIME(MICROS)",
                    Types.buildMessage()
                            .required(PrimitiveTypeName.INT64)
                            .as(LogicalTypeAnnotation.timeType(false, LogicalTypeAnnotation.TimeUnit.MICROS))
                            .named("v")
                            .named("t"),
                    g -> g.append("v", TIME_MAX_MICROS));
            p.duckdb("DATE 0000-00-00", "SELECT '0000-00-00'::DATE AS v");
            System.out.println("parquet-java  DATE 0000-00-00: no INT32 (days since 1970-01-01) means it; "
                    + "any sentinel would be a real date");
        }
    }

    /** Writes one value by each route and prints what DuckDB reads back from the file. */
    private record Probe(Connection duckdb, Path dir) {
        void duckdb(String what, String select) {
            Path file = dir.resolve("duckdb-" + Math.abs(what.hashCode()) + ".parquet");
            try (Statement st = duckdb.createStatement()) {
                st.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet)");
                report("duckdb      ", what, file);
            } catch (SQLException e) {
                System.out.println("duckdb        " + what + ": refused: " + firstLine(e.getMessage()));
            }
        }

        void parquetJava(String what, MessageType schema, Consumer<Group> value) {
            Path file = dir.resolve("parquet-java-" + Math.abs(what.hashCode()) + ".parquet");
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                    .withConf(new PlainParquetConfiguration())
                    .withType(schema)
                    .withCompressionCodec(CompressionCodecName.ZSTD)
                    .withCodecFactory(new ZstdCodecFactory())
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .build()) {
                Group g = new SimpleGroupFactory(schema).newGroup();
                value.accept(g);
                writer.write(g);
            } catch (Exception e) {
                System.out.println("parquet-java  " + what + ": refused: " + firstLine(e.toString()));
                return;
            }
            report("parquet-java", what, file);
        }

        private void report(String writer, String what, Path file) {
            String sql = "SELECT v::VARCHAR, typeof(v), (SELECT type FROM parquet_schema('" + file
                    + "') WHERE name = 'v'), (SELECT logical_type FROM parquet_schema('" + file
                    + "') WHERE name = 'v') FROM read_parquet('" + file + "')";
            try (Statement st = duckdb.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                System.out.printf(
                        "%s  %s: file %s %s; DuckDB reads %s as %s%n",
                        writer, what, rs.getString(3), rs.getString(4), rs.getString(1), rs.getString(2));
            } catch (SQLException e) {
                System.out.println(
                        writer + "  " + what + ": written, DuckDB cannot read it: " + firstLine(e.getMessage()));
            }
        }

        private static String firstLine(String s) {
            return s == null ? "" : s.lines().findFirst().orElse("");
        }
    }
}
