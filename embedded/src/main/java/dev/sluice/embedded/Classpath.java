package dev.sluice.embedded;

import java.nio.file.Path;

/** The class path and java binary of this JVM, to start child JVMs (the Kafka broker, a pipeline under test). */
public final class Classpath {
    private Classpath() {}

    /** Surefire runs tests with its own class path property; everywhere else it is {@code java.class.path}. */
    public static String current() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
