package dev.sluice.bench.parquet;

import java.io.IOException;
import java.nio.file.Path;
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
 * Writer (b): parquet-java through its Hadoop-free interfaces: {@link LocalOutputFile} (an {@code OutputFile}, not a
 * Hadoop {@code Path}) and {@link PlainParquetConfiguration} (not a Hadoop {@code Configuration}). Rows go through the
 * example {@code Group} write support: a write support of one's own must implement the abstract
 * {@code WriteSupport.init(org.apache.hadoop.conf.Configuration)}, which does not compile without Hadoop. The
 * default codec factory needs Hadoop at run time: see {@link ZstdCodecFactory}.
 */
final class ParquetJavaWriter {
    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.INT64)
            .named("id")
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.decimalType(4, 18))
            .named("amount")
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("name")
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS))
            .named("ts")
            .required(PrimitiveTypeName.DOUBLE)
            .named("ratio")
            .required(PrimitiveTypeName.BOOLEAN)
            .named("flag")
            .required(PrimitiveTypeName.BINARY)
            .named("payload")
            .named("wide");

    private ParquetJavaWriter() {}

    static void write(long rows, Path file, CompressionCodecName codec) throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(SCHEMA)
                .withCompressionCodec(codec)
                .withCodecFactory(new ZstdCodecFactory())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (long i = 0; i < rows; i++) {
                writer.write(groups.newGroup()
                        .append("id", WideRows.id(i))
                        .append("amount", WideRows.amountUnscaled(i))
                        .append("name", Binary.fromConstantByteArray(WideRows.nameBytes(i)))
                        .append("ts", WideRows.tsMicros(i))
                        .append("ratio", WideRows.ratio(i))
                        .append("flag", WideRows.flag(i))
                        .append("payload", Binary.fromConstantByteArray(WideRows.payload(i))));
            }
        }
    }
}
