package dev.sluice.schema;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;

/**
 * MySQL's and MariaDB's {@code latin1}: Windows-1252, except that the five bytes Windows-1252 leaves undefined
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D) are the C1 controls U+0081... — the server converts them so, and stores any byte
 * in a latin1 column. Java's windows-1252 decodes those five to U+FFFD, which would merge five distinct values
 * into one; this charset keeps every byte a distinct character, so the text is reversible to the exact bytes.
 */
final class MariaDbLatin1 extends Charset {
    static final MariaDbLatin1 INSTANCE = new MariaDbLatin1();
    private static final char[] TO_CHAR = decodeTable();

    private MariaDbLatin1() {
        super("x-mariadb-latin1", new String[0]);
    }

    private static char[] decodeTable() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        char[] table = new String(all, Charset.forName("windows-1252")).toCharArray();
        for (int i = 0; i < 256; i++) {
            if (table[i] == '\uFFFD') {
                table[i] = (char) i;
            }
        }
        return table;
    }

    @Override
    public boolean contains(Charset cs) {
        return cs == this || cs.name().equals("US-ASCII");
    }

    @Override
    public CharsetDecoder newDecoder() {
        return new Decoder(this);
    }

    @Override
    public CharsetEncoder newEncoder() {
        return new Encoder(this);
    }

    private static final class Decoder extends CharsetDecoder {
        Decoder(Charset cs) {
            super(cs, 1, 1);
        }

        @Override
        protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
            while (in.hasRemaining()) {
                if (!out.hasRemaining()) {
                    return CoderResult.OVERFLOW;
                }
                out.put(TO_CHAR[in.get() & 0xFF]);
            }
            return CoderResult.UNDERFLOW;
        }
    }

    /** The inverse of the table; needed by the Charset contract, Sluice itself only decodes. */
    private static final class Encoder extends CharsetEncoder {
        Encoder(Charset cs) {
            super(cs, 1, 1);
        }

        @Override
        protected CoderResult encodeLoop(CharBuffer in, ByteBuffer out) {
            while (in.hasRemaining()) {
                char c = in.get(in.position());
                int b = byteOf(c);
                if (b < 0) {
                    return CoderResult.unmappableForLength(1);
                }
                if (!out.hasRemaining()) {
                    return CoderResult.OVERFLOW;
                }
                in.get();
                out.put((byte) b);
            }
            return CoderResult.UNDERFLOW;
        }

        private static int byteOf(char c) {
            for (int i = 0; i < 256; i++) {
                if (TO_CHAR[i] == c) {
                    return i;
                }
            }
            return -1;
        }
    }
}
