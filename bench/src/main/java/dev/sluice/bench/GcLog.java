package dev.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Peak heap from a unified GC log ({@code -Xlog:gc:file=...}): each pause line reads
 * {@code ... Pause Young (Normal) (G1 Evacuation Pause) 25M->4M(512M) 3.1ms}. The largest "before" figure is the
 * peak heap in use (the heap only fills between collections); the largest "after" figure bounds the live data.
 */
public record GcLog(
        String collector,
        int pauses,
        double pauseMs,
        long peakUsedBytes,
        long peakAfterGcBytes,
        long peakCommittedBytes) {
    private static final Pattern PAUSE =
            Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)\\s+([0-9.]+)ms");
    private static final Pattern USING = Pattern.compile("Using (\\S+)");

    public static GcLog parse(Path file) {
        String collector = "unknown";
        int pauses = 0;
        double pauseMs = 0;
        long before = 0;
        long after = 0;
        long committed = 0;
        try {
            for (String line : Files.readAllLines(file)) {
                Matcher using = USING.matcher(line);
                if (using.find()) {
                    collector = using.group(1);
                }
                Matcher m = PAUSE.matcher(line);
                if (m.find()) {
                    pauses++;
                    pauseMs += Double.parseDouble(m.group(7));
                    before = Math.max(before, bytes(m.group(1), m.group(2)));
                    after = Math.max(after, bytes(m.group(3), m.group(4)));
                    committed = Math.max(committed, bytes(m.group(5), m.group(6)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the GC log " + file, e);
        }
        return new GcLog(collector, pauses, pauseMs, before, after, committed);
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            default -> n << 30;
        };
    }
}
