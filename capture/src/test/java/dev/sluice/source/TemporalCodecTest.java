package dev.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TIMESTAMP's calendar arithmetic (done without java.time on the hot path) against java.time, over the whole
 * range a 4-byte TIMESTAMP holds. The type matrix covers the server's edge values; this covers every day.
 */
class TemporalCodecTest {
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    @Test
    void timestampMatchesJavaTimeForEveryDayOfTheRange() throws Exception {
        Random random = new Random(3);
        for (long day = 0; day <= 0xFFFFFFFFL / 86_400; day++) {
            long seconds = Math.max(1, day * 86_400 + random.nextInt(86_400));
            seconds = Math.min(seconds, 0xFFFFFFFFL);
            int fsp = (int) (day % 7);
            int micros = random.nextInt(1_000_000) / POW10[6 - fsp] * POW10[6 - fsp];
            String expected = UTC.format(Instant.ofEpochSecond(seconds))
                    + (fsp == 0 ? "" : "." + String.format("%06d", micros).substring(0, fsp)) + "Z";
            assertEquals(
                    expected,
                    TemporalCodec.timestamp2(fsp, new ByteArrayInputStream(bytes(seconds, micros, fsp))),
                    "epoch second " + seconds);
        }
    }

    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /** 4 bytes of seconds and (fsp+1)/2 bytes of the fraction, big-endian, as the server stores TIMESTAMP(fsp). */
    private static byte[] bytes(long seconds, int micros, int fsp) {
        int fractionBytes = (fsp + 1) / 2;
        long fraction = switch (fractionBytes) {
            case 1 -> micros / 10_000;
            case 2 -> micros / 100;
            case 3 -> micros;
            default -> 0;
        };
        byte[] out = new byte[4 + fractionBytes];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (seconds >>> (8 * (3 - i)));
        }
        for (int i = 0; i < fractionBytes; i++) {
            out[4 + i] = (byte) (fraction >>> (8 * (fractionBytes - 1 - i)));
        }
        return out;
    }
}
