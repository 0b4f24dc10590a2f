package dev.sluice.failure;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Process exit codes. Each fatal cause has its own code so a supervisor (systemd, Kubernetes) can tell
 * "fix the config" from "fix the server" from "restart me".
 */
public enum ExitCode {
    OK(0, "stopped cleanly"),
    INTERNAL(1, "internal error"),
    CONFIG(2, "configuration or command line"),
    SOURCE_NOT_READY(3, "source not configured for CDC or missing grants"),
    UNREACHABLE(4, "a server unreachable (after retrying with backoff)"),
    POSITION_LOST(5, "the stored position is no longer on the source"),
    DATA(6, "a binlog event or row that cannot be interpreted or published"),
    FENCED(7, "fenced by a newer instance");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** What the code means, in the words of {@code --help} and the README. */
    public String meaning() {
        return meaning;
    }

    /** Every code with its meaning, for {@code --help}: {@code 0 stopped cleanly, 1 internal error, ...}. */
    public static String summary() {
        return Arrays.stream(values()).map(c -> c.code + " " + c.meaning).collect(Collectors.joining(", "));
    }
}
