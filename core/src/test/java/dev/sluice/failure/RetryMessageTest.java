package dev.sluice.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Giving up says how many attempts were made and how long it really took, in words that read right. */
class RetryMessageTest {
    @Test
    void oneAttemptIsSingularAndTheWindowIsNamed() {
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> new Retry(Duration.ZERO, Duration.ofMillis(10)).call("the test server at 127.0.0.1:1", () -> {
                    throw new IOException("Connection refused");
                }));
        assertEquals(ExitCode.UNREACHABLE, e.exitCode());
        assertTrue(
                e.getMessage().startsWith("Could not reach the test server at 127.0.0.1:1 after 1 attempt in "),
                e.getMessage());
        assertTrue(e.getMessage().contains("(retrying for up to 0 s): Connection refused."), e.getMessage());
    }

    @Test
    void severalAttemptsAreCountedUntilTheWindowCloses() {
        AtomicInteger calls = new AtomicInteger();
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> new Retry(Duration.ofMillis(300), Duration.ofMillis(50)).call("x", () -> {
                    calls.incrementAndGet();
                    throw new IOException("refused");
                }));
        assertTrue(calls.get() >= 2, "retried: " + calls.get());
        assertTrue(e.getMessage().contains("after " + calls.get() + " attempts in "), e.getMessage());
    }
}
