package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.testkit.RowChecksum;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The correctness gate of a workload run: every table topic read back from the start with a read_committed consumer
 * and rebuilt ({@link TableRebuild}), then compared with the ledger and the source, table by table:
 *
 * <ul>
 *   <li>records per op ({@code c}, {@code u}, {@code d}) equal the row changes the backlog wrote;</li>
 *   <li>tombstones: none from Sluice, one per delete from Debezium (its default);</li>
 *   <li>distinct keys equal the inserts (every workload inserts each key once and never re-uses it);</li>
 *   <li>the rebuilt table equals the source table: row count and the sum of CRC32 of each row's text, computed in
 *       SQL on the source and in Java on the topic ({@link RowChecksum}), over every column for Sluice and over the
 *       columns Debezium writes as the source text for Debezium ({@link CheckedColumn#sameInDebezium});</li>
 *   <li>no record of another op or without its image, no cell of the wrong JSON type, no state mismatch (a before
 *       image that is not the row the earlier records built, an insert of a live key, ...).</li>
 * </ul>
 */
public record WorkloadCheck(Representation representation, List<TableCheck> tables) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One table's comparison: what the backlog wrote, the source's checksum, and what its topic rebuilt. */
    public record TableCheck(
            String table,
            String topic,
            OpCounts written,
            long expectedTombstones,
            RowChecksum source,
            TableRebuild.Seen seen) {
        public boolean ok() {
            return problems().isEmpty();
        }

        /** Each difference in words, naming the table; empty when the table passes. */
        public List<String> problems() {
            List<String> p = new ArrayList<>();
            if (!seen.ops().equals(written)) {
                p.add(table + ": topic has " + seen.ops() + " but the backlog wrote " + written);
            }
            if (seen.tombstones() != expectedTombstones) {
                p.add(table + ": " + seen.tombstones() + " tombstones, expected " + expectedTombstones);
            }
            if (seen.distinctKeys() != written.inserts()) {
                p.add(table + ": " + seen.distinctKeys() + " distinct keys, expected " + written.inserts());
            }
            if (!seen.rebuilt().equals(source)) {
                p.add(table + ": rebuilt from the topic " + seen.rebuilt() + ", source " + source);
            }
            if (seen.otherRecords() + seen.wrongTypes() + seen.stateMismatches() > 0) {
                p.add(String.format(
                        Locale.ROOT,
                        "%s: %d records of another op or without their image, %d with a "
                                + "wrong JSON type, %d state mismatches",
                        table,
                        seen.otherRecords(),
                        seen.wrongTypes(),
                        seen.stateMismatches()));
            }
            return p;
        }
    }

    /** The source tables' checksums over the columns {@code representation} is compared on, in table order. */
    public static List<RowChecksum> sourceChecksums(
            MariaDbServer server, List<BacklogTable> tables, Representation representation) throws SQLException {
        List<RowChecksum> sums = new ArrayList<>();
        try (Connection c = server.connect()) {
            for (BacklogTable t : tables) {
                sums.add(RowChecksum.ofExpressions(
                        c,
                        t.qualifiedName(),
                        t.columns(representation).stream()
                                .map(CheckedColumn::sqlText)
                                .toList()));
            }
        }
        return sums;
    }

    /**
     * Reads {@code topics} (one per table of the backlog, in its order) and compares them with the backlog's ledger
     * and {@code sources} ({@link #sourceChecksums} for the same representation).
     */
    public static WorkloadCheck read(
            String bootstrapServers,
            List<String> topics,
            Backlog.Result backlog,
            List<RowChecksum> sources,
            Representation representation) {
        List<TableRebuild> rebuilds = new ArrayList<>();
        for (int i = 0; i < backlog.tables().size(); i++) {
            rebuilds.add(new TableRebuild(topics.get(i), backlog.tables().get(i).columns(representation)));
        }
        DrainVerifier.readTopics(
                bootstrapServers, topics, (i, key, value) -> rebuilds.get(i).add(key, value));
        return of(
                backlog,
                topics,
                sources,
                representation,
                rebuilds.stream().map(TableRebuild::result).toList());
    }

    static WorkloadCheck of(
            Backlog.Result backlog,
            List<String> topics,
            List<RowChecksum> sources,
            Representation representation,
            List<TableRebuild.Seen> seen) {
        List<TableCheck> checks = new ArrayList<>();
        for (int i = 0; i < backlog.tables().size(); i++) {
            OpCounts written = backlog.written().get(i);
            checks.add(new TableCheck(
                    backlog.tables().get(i).qualifiedName(),
                    topics.get(i),
                    written,
                    representation.expectedTombstones(written.deletes()),
                    sources.get(i),
                    seen.get(i)));
        }
        return new WorkloadCheck(representation, checks);
    }

    public boolean ok() {
        return tables.stream().allMatch(TableCheck::ok);
    }

    public List<String> problems() {
        return tables.stream().flatMap(t -> t.problems().stream()).toList();
    }

    public OpCounts seenOps() {
        return tables.stream().map(t -> t.seen().ops()).reduce(OpCounts.NONE, OpCounts::plus);
    }

    public OpCounts writtenOps() {
        return tables.stream().map(TableCheck::written).reduce(OpCounts.NONE, OpCounts::plus);
    }

    /** Records of all table topics, tombstones included. */
    public long records() {
        return tables.stream()
                .mapToLong(t -> t.seen().ops().total()
                        + t.seen().tombstones()
                        + t.seen().otherRecords())
                .sum();
    }

    /** Key and value bytes of every table topic's records. */
    public long payloadBytes() {
        return tables.stream()
                .mapToLong(t -> t.seen().keyBytes() + t.seen().valueBytes())
                .sum();
    }

    public RowChecksum sourceTotal() {
        return tables.stream()
                .map(TableCheck::source)
                .reduce(new RowChecksum(0, 0), (a, b) -> new RowChecksum(a.count() + b.count(), a.sum() + b.sum()));
    }

    public RowChecksum rebuiltTotal() {
        return tables.stream()
                .map(t -> t.seen().rebuilt())
                .reduce(new RowChecksum(0, 0), (a, b) -> new RowChecksum(a.count() + b.count(), a.sum() + b.sum()));
    }

    /** One line: OK or FAIL, ops, rows and checksums summed over the tables, and the first problem. */
    public String summary() {
        String totals = String.format(
                Locale.ROOT,
                "%s; rows %,d / %,d, checksum %d / %d (topic / source)",
                seenOps(),
                rebuiltTotal().count(),
                sourceTotal().count(),
                rebuiltTotal().sum(),
                sourceTotal().sum());
        List<String> problems = problems();
        return ok() ? "OK   " + totals : "FAIL " + problems.size() + " problems, first: " + problems.get(0);
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("ok", ok());
        n.put("representation", representation.name().toLowerCase(Locale.ROOT));
        n.put(
                "method",
                "each table topic read from the start (read_committed) and rebuilt: last image per key, a "
                        + "delete removes the key. Compared per table: records per op = row changes written; tombstones; "
                        + "distinct keys = inserts; rebuilt rows and sum of CRC32 of each row's text (columns joined by ':', "
                        + "NULL as \\N) = COUNT(*) and SUM(CRC32(CONCAT_WS(...))) of the source in SQL; no record of another "
                        + "op, of a wrong JSON type, or whose before image is not the row built so far");
        n.set("written", opsJson(writtenOps()));
        n.set("seen", opsJson(seenOps()));
        n.put("source_rows", sourceTotal().count());
        n.put("source_checksum", sourceTotal().sum());
        n.put("rebuilt_rows", rebuiltTotal().count());
        n.put("rebuilt_checksum", rebuiltTotal().sum());
        n.put("records", records());
        n.put("payload_bytes", payloadBytes());
        n.set("problems", JSON.valueToTree(problems()));
        ArrayNode list = n.putArray("tables");
        for (TableCheck t : tables) {
            ObjectNode tn = list.addObject();
            tn.put("table", t.table());
            tn.put("topic", t.topic());
            tn.put("ok", t.ok());
            tn.set("written", opsJson(t.written()));
            tn.set("seen", opsJson(t.seen().ops()));
            tn.put("tombstones", t.seen().tombstones());
            tn.put("expected_tombstones", t.expectedTombstones());
            tn.put("distinct_keys", t.seen().distinctKeys());
            tn.put("source_rows", t.source().count());
            tn.put("source_checksum", t.source().sum());
            tn.put("rebuilt_rows", t.seen().rebuilt().count());
            tn.put("rebuilt_checksum", t.seen().rebuilt().sum());
            tn.put("other_records", t.seen().otherRecords());
            tn.put("wrong_json_types", t.seen().wrongTypes());
            tn.put("state_mismatches", t.seen().stateMismatches());
        }
        return n;
    }

    private static ObjectNode opsJson(OpCounts ops) {
        ObjectNode n = JSON.createObjectNode();
        n.put("c", ops.inserts());
        n.put("u", ops.updates());
        n.put("d", ops.deletes());
        return n;
    }
}
