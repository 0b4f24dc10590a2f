package dev.sluice.bench.parquet;

import java.nio.charset.StandardCharsets;

/**
 * The measured rows, computed from their index alone (nothing held in memory, so the writers' heap is their own): a
 * wide typed row of {@code id BIGINT, amount DECIMAL(18,4), name VARCHAR(100), ts TIMESTAMP(6), ratio DOUBLE, flag
 * BOOLEAN, payload BLOB}. Values come from a 64-bit mix of the index, so both writers see the same bytes.
 */
final class WideRows {
    static final String DUCKDB_COLUMNS = "id BIGINT, amount DECIMAL(18,4), name VARCHAR(100), ts TIMESTAMP, "
            + "ratio DOUBLE, flag BOOLEAN, payload BLOB";
    /** 2000-01-01T00:00:00Z in microseconds; timestamps spread over the 30 years after it. */
    private static final long Y2000_MICROS = 946_684_800_000_000L;

    private static final long THIRTY_YEARS_MICROS = 30L * 365 * 86_400 * 1_000_000;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-";

    private WideRows() {}

    static long id(long i) {
        return i;
    }

    /** Unscaled value at scale 4, within DECIMAL(18,4) and signed. */
    static long amountUnscaled(long i) {
        return mix(i, 1) % 100_000_000_000_000L;
    }

    /** 1-100 characters, every 7th row with a two-byte UTF-8 character, so length in characters differs from bytes. */
    static String name(long i) {
        long h = mix(i, 2);
        int length = 1 + (int) Long.remainderUnsigned(h, 100);
        StringBuilder s = new StringBuilder(length);
        for (int k = 0; k < length; k++) {
            s.append(ALPHABET.charAt((int) ((h >>> (k % 58)) + k) & 63));
        }
        if (i % 7 == 0) {
            s.setCharAt(0, 'ü');
        }
        return s.toString();
    }

    static long tsMicros(long i) {
        return Y2000_MICROS + Long.remainderUnsigned(mix(i, 3), THIRTY_YEARS_MICROS);
    }

    static double ratio(long i) {
        return (mix(i, 4) >> 11) * 0x1.0p-40;
    }

    static boolean flag(long i) {
        return (mix(i, 5) & 1) == 0;
    }

    /** 16-64 bytes. */
    static byte[] payload(long i) {
        long h = mix(i, 6);
        byte[] b = new byte[16 + (int) Long.remainderUnsigned(h, 49)];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (h >>> ((k & 7) * 8) ^ k);
        }
        return b;
    }

    static byte[] nameBytes(long i) {
        return name(i).getBytes(StandardCharsets.UTF_8);
    }

    /** SplitMix64 of the index and a column number: cheap, and every column independent of the others. */
    private static long mix(long i, int column) {
        long z = i * 0x9E3779B97F4A7C15L + column * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
