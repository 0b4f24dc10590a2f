package dev.sluice.failure;

/**
 * Process exit codes. Each fatal cause has its own code so a supervisor (systemd, Kubernetes) can tell
 * "fix the config" from "fix the server" from "restart me".
 */
public enum ExitCode {
    OK(0, "stopped cleanly"),
    INTERNAL(1, "unexpected internal error"),
    CONFIG(2, "invalid configuration or command line"),
    SOURCE_NOT_READY(3, "source server settings or privileges do not allow CDC"),
    UNREACHABLE(4, "a server could not be reached"),
    POSITION_LOST(5, "the stored position is no longer available on the source"),
    DATA(6, "a binlog event or row could not be interpreted or published"),
    FENCED(7, "another instance with the same name took over");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
