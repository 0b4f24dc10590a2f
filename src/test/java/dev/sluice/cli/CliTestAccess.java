package dev.sluice.cli;

/** Runs the command line in this JVM and returns its exit code, for tests in other packages. */
public final class CliTestAccess {
    private CliTestAccess() {
    }

    public static int execute(String... args) {
        return Main.execute(args);
    }
}
