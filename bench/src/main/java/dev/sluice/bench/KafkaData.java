package dev.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deletes the brokers' log directories ({@code data/}) under a bench's work directory once the brokers have stopped:
 * a producer or scale run writes gigabytes of records nobody reads again. Configs and logs stay.
 */
final class KafkaData {
    private KafkaData() {}

    static void delete(Path kafkaDir) {
        try (Stream<Path> found = Files.find(kafkaDir, 2, (p, a) -> a.isDirectory() && p.endsWith("data"))) {
            for (Path data : found.toList()) {
                deleteTree(data);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the Kafka data under " + kafkaDir, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
