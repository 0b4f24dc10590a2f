package dev.sluice.bench;

import dev.sluice.bench.CommitWatch.Commit;
import java.util.List;
import java.util.Locale;

/**
 * How Sluice delivered a backlog's largest source transaction, read from its committed positions: a position inside
 * the transaction (pipeline.max-transaction-events) names it and how many of its row events that Kafka transaction
 * covers. The transaction was <em>atomic</em> for a read_committed consumer if no commit covered only part of its
 * events; otherwise it was split and {@code partialCommits} says where.
 */
public record LargeTransaction(String gtid, long rowChanges, List<Long> partialCommits) {
    public static LargeTransaction of(Backlog.Largest largest, List<Commit> commits) {
        List<Long> partial = commits.stream()
                .filter(c -> largest.gtid().equals(c.partialGtid()))
                .map(Commit::partialEvents)
                .toList();
        return new LargeTransaction(largest.gtid(), largest.rowChanges(), partial);
    }

    public boolean atomic() {
        return partialCommits.stream().allMatch(events -> events >= rowChanges);
    }

    public String describe() {
        if (!atomic()) {
            return String.format(
                    Locale.ROOT,
                    "SPLIT: %,d row changes visible in parts, after %s events",
                    rowChanges,
                    partialCommits.stream()
                            .map(e -> String.format(Locale.ROOT, "%,d", e))
                            .toList());
        }
        String inside = partialCommits.isEmpty()
                ? ""
                : String.format(
                        Locale.ROOT,
                        " (Sluice also committed a "
                                + "position inside it after all %,d events: its size reached pipeline.max-transaction-events)",
                        partialCommits.get(0));
        return String.format(
                Locale.ROOT, "atomic: %,d row changes visible in one Kafka transaction%s", rowChanges, inside);
    }
}
