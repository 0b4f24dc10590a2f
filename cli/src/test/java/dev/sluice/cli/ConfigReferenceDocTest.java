package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/config.md is generated from the key declarations; this keeps it from drifting. */
class ConfigReferenceDocTest {
    @Test
    void docsMatchTheDeclarations() throws Exception {
        assertEquals(
                ConfigHelp.markdownReference(),
                Files.readString(Path.of(System.getProperty("sluice.root", ".."), "docs", "config.md")),
                "docs/config.md is stale: regenerate it with `bin/sluice config reference > docs/config.md`");
    }
}
