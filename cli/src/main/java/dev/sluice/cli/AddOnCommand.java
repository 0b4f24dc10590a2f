package dev.sluice.cli;

/**
 * A {@code sluice} command that lives in a module of its own ({@code demo}, {@code bench}) so that its dependencies
 * (MariaDB binaries, a Kafka broker, benchmark libraries) stay off the class path of {@code run}, {@code check} and
 * {@code snapshot}. Each module lists its command in {@code META-INF/services/dev.sluice.cli.AddOnCommand};
 * {@link Main} adds whichever are on the class path. Implementations are picocli {@code @Command} classes with a
 * public no-argument constructor.
 */
public interface AddOnCommand {}
