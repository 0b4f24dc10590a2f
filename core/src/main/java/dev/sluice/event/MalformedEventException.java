package dev.sluice.event;

import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;

/**
 * A record of a change topic that is not a change event Sluice can read (not JSON, or not the envelope). Names the
 * record (topic, partition, offset, when the caller gave them) so it can be inspected; a consumer that stops on it
 * exits with {@link ExitCode#DATA}.
 */
public final class MalformedEventException extends SluiceException {
    MalformedEventException(String record, String problem, Throwable cause) {
        super(
                ExitCode.DATA,
                "Cannot decode the record at " + record + ": " + problem
                        + ". It is not a change event in Sluice's (Debezium-compatible JSON) envelope; "
                        + "check what wrote it",
                cause);
    }
}
