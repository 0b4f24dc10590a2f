package dev.sluice.monitor;

import dev.sluice.monitor.PipelineStats.PositionFile;
import dev.sluice.source.BinlogRetention;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Seconds until the source may purge the binlog file that holds the committed position — after which a pipeline
 * that stopped now could not resume. A lower bound, from how MariaDB and MySQL purge by age: at a rotation (a
 * full file, FLUSH BINARY LOGS, a restart) the server deletes, oldest first, each closed file whose modification
 * time is older than the retention; the file being written is never deleted. So:
 *
 * <ul>
 *   <li>the position is in the file being written: at least the whole retention (it must be closed first);</li>
 *   <li>in a closed file the stream has read to its end: its last event's time (≈ its modification time) plus the
 *       retention, minus now on the server's clock;</li>
 *   <li>in a closed file the stream is still reading (a backlog): the newest event read so far stands in for the
 *       modification time, which is no earlier, so the estimate errs short;</li>
 *   <li>the file is no longer on the server: 0.</li>
 * </ul>
 *
 * <p>Not modelled, each of which can only delay a purge: the server keeps a file a connected replica is reading and
 * files still needed for crash recovery. Not modelled, and able to purge <em>earlier</em>: a manual {@code PURGE
 * BINARY LOGS}, and MariaDB 11.4's size limit {@code max_binlog_total_size}. Binlog timestamps have one-second
 * resolution.
 */
final class PurgeEstimate {
    private PurgeEstimate() {}

    /** Empty while unknown (no position file yet, or the stream has read nothing of a closed file). */
    static OptionalDouble secondsUntilPurge(PositionFile position, BinlogRetention retention, long nowMs) {
        if (retention.neverExpires()) {
            return OptionalDouble.of(Double.POSITIVE_INFINITY);
        }
        if (position == null) {
            return OptionalDouble.empty();
        }
        List<String> files = retention.files();
        if (files.isEmpty() || isOlder(position.file(), files.get(0))) {
            return OptionalDouble.of(0);
        }
        boolean beingWritten = !isOlder(position.file(), files.get(files.size() - 1));
        if (!position.closed() && beingWritten) {
            return OptionalDouble.of(retention.expireSeconds());
        }
        if (position.lastEventTimeMs() <= 0) {
            return OptionalDouble.empty();
        }
        long serverNowMs = nowMs + retention.serverClockAheadMs();
        long purgeAtMs = position.lastEventTimeMs() + retention.expireSeconds() * 1000;
        return OptionalDouble.of(Math.max(0, purgeAtMs - serverNowMs) / 1000.0);
    }

    /**
     * Binlog files are named {@code <base>.<sequence>}; the sequence orders them (it can outgrow its six digits,
     * so compare it as a number).
     */
    static boolean isOlder(String file, String than) {
        long a = sequence(file);
        long b = sequence(than);
        return a >= 0 && b >= 0 ? a < b : file.compareTo(than) < 0;
    }

    private static long sequence(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return dot < 0 ? -1 : Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
