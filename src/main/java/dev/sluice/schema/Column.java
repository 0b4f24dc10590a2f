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
}
