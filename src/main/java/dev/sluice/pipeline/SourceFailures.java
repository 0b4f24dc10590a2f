package dev.sluice.pipeline;

import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.sluice.ops.ExitCode;
import dev.sluice.ops.Retry;
import dev.sluice.ops.SluiceException;
import dev.sluice.position.BinlogPosition;
import dev.sluice.source.BinlogReader.BinlogConnectionException;

/** The one place that decides whether a failure of the binlog connection is fatal or worth a reconnect. */
final class SourceFailures {
    private static final int ER_MASTER_FATAL_ERROR_READING_BINLOG = 1236;
    private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    private static final int ER_ACCESS_DENIED = 1045;

    private SourceFailures() {
    }

    static RuntimeException classify(Exception cause, BinlogPosition committed) {
        if (cause instanceof ServerException server) {
            switch (server.getErrorCode()) {
                case ER_MASTER_FATAL_ERROR_READING_BINLOG -> {
                    return new SluiceException(ExitCode.POSITION_LOST, "The source cannot serve the binlog from the "
                            + "stored position " + committed.describe() + ": " + server.getMessage() + ". The binlog "
                            + "files holding it were probably purged. Re-snapshot the tables, or delete the stored "
                            + "position to start over; Sluice will not skip the gap.", cause);
                }
                case ER_SPECIFIC_ACCESS_DENIED, ER_ACCESS_DENIED -> {
                    return new SluiceException(ExitCode.SOURCE_NOT_READY, "The source refused the binlog stream: "
                            + server.getMessage() + ". Grant REPLICATION SLAVE to the source user.", cause);
                }
                default -> {
                    return new BinlogConnectionException("The source ended the binlog stream with error "
                            + server.getErrorCode() + ": " + server.getMessage(), cause);
                }
            }
        }
        if (cause instanceof SluiceException s) {
            return s;
        }
        if (isDecodeFailure(cause)) {
            return new SluiceException(ExitCode.DATA, "A binlog event after " + committed.describe()
                    + " could not be decoded: " + Retry.rootMessage(cause) + ". Stopped there; nothing after it "
                    + "was published.", cause);
        }
        return new BinlogConnectionException("Lost the binlog connection: " + Retry.rootMessage(cause), cause);
    }

    private static boolean isDecodeFailure(Exception cause) {
        return cause instanceof com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializationException;
    }
}
