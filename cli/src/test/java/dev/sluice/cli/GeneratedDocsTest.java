package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.failure.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Text users read that is generated from one declaration in the code; these keep it from drifting. */
class GeneratedDocsTest {
    private static final Path ROOT = Path.of(System.getProperty("sluice.root", ".."));

    @Test
    void configReferenceMatchesTheKeyDeclarations() throws Exception {
        assertEquals(
                ConfigHelp.markdownReference(),
                Files.readString(ROOT.resolve("docs/config.md")),
                "docs/config.md is stale: regenerate it with `bin/sluice config reference > docs/config.md`");
    }

    @Test
    void readmeListsEveryExitCodeAsExitCodeDeclaresIt() throws Exception {
        StringBuilder table = new StringBuilder("| code | meaning |\n|---|---|\n");
        for (ExitCode code : ExitCode.values()) {
            table.append("| `")
                    .append(code.code())
                    .append("` | ")
                    .append(code.meaning())
                    .append(" |\n");
        }
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.contains(table), "README.md's exit code table is stale; it should read:\n" + table);
    }

    @Test
    void helpListsEveryExitCode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute("--help"));
        } finally {
            System.setOut(original);
        }
        String help = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        for (ExitCode code : ExitCode.values()) {
            assertTrue(help.contains(code.code() + " " + code.meaning()), code + " missing from --help:\n" + help);
        }
    }
}
