package dev.sluice.event;

/**
 * The text of MariaDB's UUID, INET6 and INET4 values exactly as the server prints them, written into a caller's
 * char array without allocating. The binlog strips trailing zero bytes of these values (they are packed like
 * BINARY(n)), so a byte past the end of the array reads as zero.
 */
final class FixedBinaryText {
    static final int MAX_CHARS = 46;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private FixedBinaryText() {}

    /** {@code 123e4567-e89b-12d3-a456-426614174000}: lower-case hex, hyphens after bytes 4, 6, 8 and 10. */
    static int uuid(byte[] value, char[] out) {
        int pos = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out[pos++] = '-';
            }
            int b = byteAt(value, i);
            out[pos++] = HEX[b >> 4];
            out[pos++] = HEX[b & 15];
        }
        return pos;
    }

    /** {@code 192.0.2.1}. */
    static int inet4(byte[] value, char[] out) {
        return dottedQuad(value, 0, out, 0);
    }

    /**
     * MariaDB's {@code Inet6::to_string}: lower-case hex words without leading zeros; the first longest run of zero
     * words (even a single one) as {@code ::}; IPv4-compatible ({@code ::a.b.c.d}) and IPv4-mapped
     * ({@code ::ffff:a.b.c.d}) addresses end in a dotted quad.
     */
    static int inet6(byte[] value, char[] out) {
        int gapStart = -1;
        int gapLength = 0;
        for (int i = 0, runStart = -1; i <= 8; i++) {
            if (i < 8 && word(value, i) == 0) {
                runStart = runStart < 0 ? i : runStart;
            } else if (runStart >= 0) {
                if (i - runStart > gapLength) {
                    gapStart = runStart;
                    gapLength = i - runStart;
                }
                runStart = -1;
            }
        }
        int pos = 0;
        for (int i = 0; i < 8; i++) {
            if (i == gapStart) {
                if (i == 0) {
                    out[pos++] = ':';
                }
                out[pos++] = ':';
                i += gapLength - 1;
            } else if (i == 6 && gapStart == 0 && (gapLength == 6 || gapLength == 5 && word(value, 5) == 0xFFFF)) {
                return dottedQuad(value, 12, out, pos);
            } else {
                pos = hexWord(word(value, i), out, pos);
                if (i < 7) {
                    out[pos++] = ':';
                }
            }
        }
        return pos;
    }

    private static int dottedQuad(byte[] value, int offset, char[] out, int pos) {
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                out[pos++] = '.';
            }
            pos = decimal(byteAt(value, offset + i), out, pos);
        }
        return pos;
    }

    private static int decimal(int value, char[] out, int pos) {
        if (value >= 100) {
            out[pos++] = (char) ('0' + value / 100);
        }
        if (value >= 10) {
            out[pos++] = (char) ('0' + value / 10 % 10);
        }
        out[pos++] = (char) ('0' + value % 10);
        return pos;
    }

    private static int hexWord(int word, char[] out, int pos) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int digit = (word >> shift) & 15;
            if (digit != 0 || started || shift == 0) {
                out[pos++] = HEX[digit];
                started = true;
            }
        }
        return pos;
    }

    private static int word(byte[] value, int index) {
        return byteAt(value, 2 * index) << 8 | byteAt(value, 2 * index + 1);
    }

    private static int byteAt(byte[] value, int index) {
        return index < value.length ? value[index] & 0xFF : 0;
    }
}
