package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> KEYS = List.of("source.server-id", "source.host", "kafka.topic-prefix");

    @Test
    void offersTheCloseNameReadingUnderscoreAsDashAndIgnoringCase() {
        assertEquals(Optional.of("source.server-id"), Suggestions.closest("source.server_id", KEYS));
        assertEquals(Optional.of("source.host"), Suggestions.closest("source.hots", KEYS));
        assertEquals(Optional.of("kafka.topic-prefix"), Suggestions.closest("Kafka.Topic_Prefx", KEYS));
    }

    @Test
    void offersNothingWhenNothingIsClose() {
        assertEquals(Optional.empty(), Suggestions.closest("target.url", KEYS));
        assertEquals("", Suggestions.didYouMean("x", List.of("run", "load")));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, Suggestions.distance("run", "run"));
        assertEquals(1, Suggestions.distance("rnu", "run"), "a swap is one edit");
        assertEquals(2, Suggestions.distance("abcd", "badc"));
        assertEquals(1, Suggestions.distance("lod", "load"));
        assertEquals(3, Suggestions.distance("", "abc"));
    }
}
