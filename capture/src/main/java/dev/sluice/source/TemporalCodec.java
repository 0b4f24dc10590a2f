package dev.sluice.source;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Decodes DATE, TIME, DATETIME, TIMESTAMP and YEAR from their binlog bytes into exact text, because the binlog
 * client library maps them onto Java time types that cannot hold zero dates, negative or >24 h TIME, or YEAR 0
 * (see ../shared/MACHINE-FACTS.md). The formats are the server's storage formats (MySQL 5.6+ "V2" temporal types).
 *
 * <ul>
 *   <li>DATE, DATETIME: the literal the server stores, zero dates included ({@code 0000-00-00 00:00:00}).</li>
 *   <li>TIMESTAMP: an instant in UTC, ISO-8601 ({@code 2024-01-01T10:00:00.123456Z}); the zero value stays
 *       {@code 0000-00-00 00:00:00}.</li>
 *   <li>TIME: a signed duration {@code [-]HH:MM:SS[.ffffff]}, hours up to 838.</li>
 * </ul>
 * Fractions have exactly the column's declared number of digits (fsp), as the server prints them.
 */
final class TemporalCodec {
    private static final long DATETIMEF_INT_OFS = 0x8000000000L;
    private static final long TIMEF_INT_OFS = 0x800000L;
    private static final long TIMEF_OFS = 0x800000000000L;
    private static final long SECONDS_PER_DAY = 86_400;

    private TemporalCodec() {}

    static String date(ByteArrayInputStream in) throws IOException {
        int value = in.readInteger(3);
        return dateText(value >> 9, (value >> 5) & 15, value & 31);
    }

    static int year(ByteArrayInputStream in) throws IOException {
        int value = in.readInteger(1);
        return value == 0 ? 0 : 1900 + value;
    }

    static String datetime2(int fsp, ByteArrayInputStream in) throws IOException {
        long intPart = bigEndian(in, 5) - DATETIMEF_INT_OFS;
        int micros = fractionMicros(fsp, in);
        long ymd = intPart >> 17;
        long ym = ymd >> 5;
        long hms = intPart % (1 << 17);
        StringBuilder out = new StringBuilder(26);
        appendDate(out, ym / 13, ym % 13, ymd % 32).append(' ');
        appendClock(out, hms >> 12, (hms >> 6) % 64, hms % 64);
        return appendFraction(out, micros, fsp).toString();
    }

    static String timestamp2(int fsp, ByteArrayInputStream in) throws IOException {
        long seconds = bigEndian(in, 4);
        int micros = fractionMicros(fsp, in);
        if (seconds == 0 && micros == 0) {
            return fsp == 0
                    ? "0000-00-00 00:00:00"
                    : appendFraction(new StringBuilder("0000-00-00 00:00:00"), 0, fsp)
                            .toString();
        }
        StringBuilder out = new StringBuilder(28);
        appendUtcDate(out, Math.floorDiv(seconds, SECONDS_PER_DAY)).append('T');
        long secondOfDay = Math.floorMod(seconds, SECONDS_PER_DAY);
        appendClock(out, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60);
        return appendFraction(out, micros, fsp).append('Z').toString();
    }

    static String time2(int fsp, ByteArrayInputStream in) throws IOException {
        long packed = timePacked(fsp, in);
        boolean negative = packed < 0;
        long abs = Math.abs(packed);
        long hms = abs >> 24;
        int micros = (int) (abs % (1 << 24));
        StringBuilder out = new StringBuilder(18);
        if (negative) {
            out.append('-');
        }
        appendClock(out, (hms >> 12) % (1 << 10), (hms >> 6) % 64, hms % 64);
        return appendFraction(out, micros, fsp).toString();
    }

    /** MySQL's packed TIME: integer part in the high bits, microseconds in the low 24 bits, signed as a whole. */
    private static long timePacked(int fsp, ByteArrayInputStream in) throws IOException {
        switch (fsp) {
            case 1, 2 -> {
                long intPart = bigEndian(in, 3) - TIMEF_INT_OFS;
                int frac = in.readInteger(1);
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x100;
                }
                return (intPart << 24) + frac * 10_000L;
            }
            case 3, 4 -> {
                long intPart = bigEndian(in, 3) - TIMEF_INT_OFS;
                int frac = (int) bigEndian(in, 2);
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x10000;
                }
                return (intPart << 24) + frac * 100L;
            }
            case 5, 6 -> {
                return bigEndian(in, 6) - TIMEF_OFS;
            }
            default -> {
                return (bigEndian(in, 3) - TIMEF_INT_OFS) << 24;
            }
        }
    }

    private static int fractionMicros(int fsp, ByteArrayInputStream in) throws IOException {
        return switch (fsp) {
            case 1, 2 -> in.readInteger(1) * 10_000;
            case 3, 4 -> (int) bigEndian(in, 2) * 100;
            case 5, 6 -> (int) bigEndian(in, 3);
            default -> 0;
        };
    }

    private static long bigEndian(ByteArrayInputStream in, int length) throws IOException {
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = (value << 8) | in.read();
        }
        return value;
    }

    private static String dateText(int year, int month, int day) {
        return appendDate(new StringBuilder(10), year, month, day).toString();
    }

    private static StringBuilder appendDate(StringBuilder out, long year, long month, long day) {
        pad(out, year, 4).append('-');
        pad(out, month, 2).append('-');
        return pad(out, day, 2);
    }

    /**
     * The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's days-to-civil), written
     * straight into {@code out}: per TIMESTAMP cell, without an Instant and its string.
     */
    private static StringBuilder appendUtcDate(StringBuilder out, long epochDay) {
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return appendDate(out, year, month, day);
    }

    private static void appendClock(StringBuilder out, long hour, long minute, long second) {
        pad(out, hour, 2).append(':');
        pad(out, minute, 2).append(':');
        pad(out, second, 2);
    }

    private static StringBuilder appendFraction(StringBuilder out, int micros, int fsp) {
        if (fsp > 0) {
            out.append('.');
            pad(out, micros / POW10[6 - fsp], fsp);
        }
        return out;
    }

    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /** {@code value} (never negative here) with leading zeros to {@code width}, without a temporary String. */
    private static StringBuilder pad(StringBuilder out, long value, int width) {
        for (long limit = 10, digits = 1; digits < width; limit *= 10, digits++) {
            if (value < limit) {
                out.append('0');
            }
        }
        return out.append(value);
    }
}
