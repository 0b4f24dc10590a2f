package dev.sluice.bench.parquet;

import com.github.luben.zstd.Zstd;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Zstandard for parquet-java's writer without Hadoop. The builder's default codec factory ({@code
 * org.apache.parquet.hadoop.CodecFactory}) links Hadoop's compression classes and fails with {@code
 * NoClassDefFoundError: org/apache/hadoop/io/compress/zlib/ZlibCompressor$CompressionLevel} when no Hadoop jar is
 * present, whatever the codec. This one calls zstd-jni (already a dependency of parquet-hadoop) through the public
 * {@link CompressionCodecFactory} interface. Write side only.
 */
final class ZstdCodecFactory implements CompressionCodecFactory {
    /** DuckDB's default level too, so both writers compress alike. */
    static final int LEVEL = 3;

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        if (codec != CompressionCodecName.ZSTD) {
            throw new IllegalArgumentException("Only ZSTD here, not " + codec);
        }
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws java.io.IOException {
                return BytesInput.from(Zstd.compress(bytes.toByteArray(), LEVEL));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CompressionCodecName.ZSTD;
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("The benchmark reads its files back with DuckDB");
    }

    @Override
    public void release() {}
}
