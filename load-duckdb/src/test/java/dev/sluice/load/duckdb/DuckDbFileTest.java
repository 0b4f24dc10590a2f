package dev.sluice.load.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.load.LoadStats;
import dev.sluice.load.Target;
import dev.sluice.testkit.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the DuckDB file: what a user meets when another process holds it, or the native library cannot load. */
class DuckDbFileTest {
    @TempDir
    Path dir;

    @Test
    void aFileHeldByAnotherProcessIsRefusedByNameAndPidAndLeftIntact() throws Exception {
        Path file = dir.resolve("held.duckdb");
        SluiceException refused;
        try (ChildJvm holder = ChildJvm.start(HoldFile.class, List.of(), file.toString())) {
            holder.awaitLine("HOLDING");
            refused = assertThrows(
                    SluiceException.class,
                    () -> new DuckDbDriver().open(OpenTarget.config(file.toString()), new LoadStats()));
            assertEquals(ExitCode.CONFIG, refused.exitCode());
            assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
            assertTrue(refused.getMessage().contains("process " + holder.pid()), refused.getMessage());
            assertTrue(refused.getMessage().contains("Stop that process"), refused.getMessage());
        }
        try (Target target = new DuckDbDriver().open(OpenTarget.config(file.toString()), new LoadStats());
                Connection c = LakeFile.open(file)) {
            assertEquals(List.of("1"), Sql.column(c, "SELECT count(*) FROM held"), "the holder's row");
            assertEquals(
                    List.of("0"),
                    Sql.column(c, "SELECT count(*) FROM public._sluice_offsets"),
                    "the loader's tables, created once the file was free");
        }
    }

    @Test
    void aTempDirectoryTheNativeLibraryCannotUseIsNamedWithItsSetting() throws Exception {
        Path missing = dir.resolve("no-such-dir");
        try (ChildJvm child = ChildJvm.start(
                OpenTarget.class,
                List.of("-Djava.io.tmpdir=" + missing),
                dir.resolve("t.duckdb").toString())) {
            String line = child.awaitLine("REFUSED");
            assertTrue(line.startsWith("REFUSED " + ExitCode.CONFIG.code() + " "), line);
            assertTrue(line.contains("java.io.tmpdir (" + missing + ")"), line);
            assertTrue(line.contains("-Djava.io.tmpdir="), line);
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)));
        }
    }
}
