package dev.sluice.pipeline;

import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.sluice.config.SluiceConfig;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.Retry;
import dev.sluice.failure.SluiceException;
import dev.sluice.position.BinlogPosition;
import dev.sluice.source.BinlogReader.BinlogConnectionException;

/** The one place that decides whether a failure of the binlog connection is fatal or worth a reconnect. */
final class SourceFailures {
    private static final int ER_MASTER_FATAL_ERROR_READING_BINLOG = 1236;
    private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    private static final int ER_ACCESS_DENIED = 1045;

    private SourceFailures() {}

    static RuntimeException classify(Exception cause, BinlogPosition committed, SluiceConfig.Source source) {
        if (cause instanceof ServerException server && isDisplacedBySameServerId(server)) {
            return displaced(server, committed, source);
        }
        if (cause instanceof ServerException server) {
            switch (server.getErrorCode()) {
                case ER_MASTER_FATAL_ERROR_READING_BINLOG -> {
                    return new SluiceException(
                            ExitCode.POSITION_LOST,
                            "The source cannot serve the binlog from the "
                                    + "stored position " + committed.describe() + ": " + server.getMessage()
                                    + ". Either the "
                                    + "binlog files holding it were purged, or this server's history diverged from the one "
                                    + "Sluice published (a failover to a server that lacks those transactions). Re-snapshot "
                                    + "the tables, or delete the stored position to start over; Sluice will not skip the "
                                    + "gap.",
                            cause);
                }
                case ER_SPECIFIC_ACCESS_DENIED, ER_ACCESS_DENIED -> {
                    return new SluiceException(
                            ExitCode.SOURCE_NOT_READY,
                            "The source refused the binlog stream: " + server.getMessage()
                                    + ". Grant REPLICATION SLAVE to the source user.",
                            cause);
                }
                default -> {
                    return new BinlogConnectionException(
                            "The source ended the binlog stream with error " + server.getErrorCode() + ": "
                                    + server.getMessage(),
                            cause);
                }
            }
        }
        if (cause instanceof SluiceException s) {
            return s;
        }
        if (isDecodeFailure(cause)) {
            return new SluiceException(
                    ExitCode.DATA,
                    "A binlog event after " + committed.describe()
                            + " could not be decoded: " + Retry.rootMessage(cause)
                            + ". Stopped there; nothing after it "
                            + "was published.",
                    cause);
        }
        return new BinlogConnectionException("Lost the binlog connection: " + Retry.rootMessage(cause), cause);
    }

    /**
     * A server keeps one binlog reader per server_id: when a second one connects with the same id, it disconnects
     * the first with this error (MariaDB and MySQL word it alike). Reconnecting would displace the other reader in
     * turn and both would flap forever, so the displaced one stops instead, leaving the newer one as the only reader.
     */
    static boolean isDisplacedBySameServerId(Exception cause) {
        String message = cause instanceof ServerException server ? server.getMessage() : null;
        return message != null && message.contains("same server_uuid/server_id");
    }

    private static SluiceException displaced(
            ServerException server, BinlogPosition committed, SluiceConfig.Source source) {
        return new SluiceException(
                ExitCode.SOURCE_NOT_READY,
                "Another replica or pipeline connected to "
                        + source.address() + " with server_id " + source.serverId()
                        + " (source.server-id), and the server "
                        + "disconnected this pipeline (error " + server.getErrorCode() + ": " + server.getMessage()
                        + "). "
                        + "Every reader of a server needs its own server_id: give this pipeline a unique source.server-id "
                        + "and restart it. Stopped at the committed position " + committed.describe()
                        + "; nothing after it "
                        + "was published by this pipeline.",
                server);
    }

    private static boolean isDecodeFailure(Exception cause) {
        return cause instanceof com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializationException;
    }
}
