package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java side of the checksum computes what the SQL side does. */
class RowChecksumTest {
    @Test
    void aRowsTextJoinsItsCellsLikeConcatWsWithNullAsBackslashN() {
        assertEquals(RowChecksum.of(7, "abc"), RowChecksum.of(new String[] {"7", "abc"}));
        assertEquals(RowChecksum.of(new String[] {"7", "\\N"}), RowChecksum.of(new String[] {"7", null}));
        assertEquals(
                "CONCAT_WS(':', IFNULL(`id`, '\\\\N'), IFNULL(`note`, '\\\\N'))",
                RowChecksum.rowText(List.of("id", "note")));
    }
}
