package dev.sluice.schema;

import java.nio.charset.Charset;
import java.util.List;

/**
 * One column as the binlog describes it.
 *
 * @param charset the text charset, or {@code null} when the bytes are binary (or the kind is not text)
 * @param labels  ENUM or SET member labels in definition order; empty for other kinds
 */
public record Column(String name, ColumnKind kind, int meta, boolean unsigned, Charset charset, List<String> labels) {
    public boolean isBinary() {
        return charset == null;
    }

    /**
     * The declared length in bytes of a fixed-length string column (CHAR, BINARY and the fixed-binary types), from
     * its metadata: the low byte plus two high bits hidden in the real-type byte (MySQL's encoding for lengths
     * above 255). The server strips BINARY(n)'s zero padding in the binlog; this is the length to restore.
     */
    public int fixedByteLength() {
        if (meta < 256) {
            return meta;
        }
        int realType = meta >> 8;
        int low = meta & 0xFF;
        return (realType & 0x30) != 0x30 ? low | (((realType & 0x30) ^ 0x30) << 4) : low;
    }
}
