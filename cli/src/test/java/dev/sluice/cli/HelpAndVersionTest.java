package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.failure.ExitCode;
import org.junit.jupiter.api.Test;

/** What a newcomer reads first: each command's help, the version, and a bad option's message. */
class HelpAndVersionTest {
    private static final int TERMINAL_WIDTH = 80;

    @Test
    void eachCommandsHelpIsShortFitsTheTerminalAndShowsExamplesLiterally() {
        for (String command : new String[] {"run", "check", "snapshot", "status", "config"}) {
            Output help = Output.capture(() -> Main.execute(command, "--help"));
            assertEquals(0, help.exitCode(), help.text());
            String[] lines = help.text().split("\n");
            for (String line : lines) {
                assertTrue(line.length() <= TERMINAL_WIDTH, command + " --help has a line over 80 columns: " + line);
            }
            assertFalse(help.text().contains("null"), command + " --help shows a swallowed ${…}:\n" + help.text());
            assertTrue(lines.length < 40, command + " --help is " + lines.length + " lines:\n" + help.text());
        }
        String run = Output.capture(() -> Main.execute("run", "--help")).text();
        assertTrue(run.contains("sluice config reference"), run);
        assertTrue(run.contains("${NAME:-default}"), "the example is shown literally:\n" + run);
    }

    @Test
    void versionNamesTheCommitAndTheProtocolLibraries() {
        Output version = Output.capture(() -> Main.execute("--version"));
        assertEquals(0, version.exitCode(), version.text());
        assertTrue(version.text().matches("(?s)sluice \\S+ \\(commit [0-9a-f]{7,}.*"), version.text());
        assertTrue(version.text().matches("(?s).*kafka-clients \\d+\\.\\d+\\.\\d+.*"), version.text());
        assertTrue(version.text().matches("(?s).*mysql-binlog-connector-java \\d+\\.\\d+\\.\\d+.*"), version.text());
    }

    @Test
    void aNegativeProgressPeriodIsAUsageErrorAndZeroTurnsItOff() {
        Output negative = Output.capture(() -> Main.execute("run", "--config", "x.yaml", "--progress-seconds", "-1"));
        assertEquals(ExitCode.CONFIG.code(), negative.exitCode(), negative.text());
        assertTrue(negative.text().contains("0 to turn the progress line off"), negative.text());
        assertFalse(negative.text().contains("Configuration keys:\n  source.host"), "no key list under an error");
    }

    @Test
    void aMistypedCommandOrOptionIsNamedWithTheClosestOne() {
        Output command = Output.capture(() -> Main.execute("rnu", "--help"));
        assertEquals(ExitCode.CONFIG.code(), command.exitCode(), "not the top-level help with exit 0");
        assertTrue(command.text().contains("unknown command 'rnu'. Did you mean 'run'?"), command.text());
        Output status = Output.capture(() -> Main.execute("stauts"));
        assertTrue(status.text().contains("Did you mean 'status'?"), status.text());
        Output option = Output.capture(() -> Main.execute("run", "--confg", "x.yaml"));
        assertEquals(ExitCode.CONFIG.code(), option.exitCode());
        assertTrue(option.text().contains("unknown option '--confg'. Did you mean '--config'?"), option.text());
        assertTrue(option.text().contains("sluice run --help"), option.text());
    }
}
