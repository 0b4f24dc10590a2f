package dev.sluice.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The status page: one HTML file with its styles and script inside, so it needs nothing from the internet. */
final class StatusPage {
    private StatusPage() {}

    static byte[] html() {
        try (InputStream in = StatusPage.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html is missing from the sluice-core jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
