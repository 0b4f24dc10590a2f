package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Renders {@code /status.json} as one terminal screen: the same sections as the status page, in plain text. */
final class StatusScreen {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final StringBuilder out = new StringBuilder();

    private StatusScreen() {}

    static String render(JsonNode status, long nowMs) {
        StatusScreen screen = new StatusScreen();
        screen.header(status);
        screen.source(status.path("source"));
        screen.capture(status.path("capture"));
        screen.tables(status.path("tables"), nowMs);
        screen.loader(status.path("loader"), nowMs);
        screen.problems(status.path("problems"));
        return screen.out.toString();
    }

    private void header(JsonNode s) {
        JsonNode health = s.path("health");
        line(
                "Sluice %s %s: %s (%s)",
                text(s, "kind"),
                text(s, "name"),
                "ok".equals(health.path("status").asText()) ? "HEALTHY" : "UNHEALTHY",
                text(health, "reason"));
    }

    private void source(JsonNode src) {
        if (src.isMissingNode()) {
            return;
        }
        line("");
        line("Source   %s, %s %s", text(src, "address"), text(src, "flavor"), text(src, "version"));
        line("  binlog %s:%s  GTID %s", text(src, "binlog_file"), text(src, "binlog_offset"), text(src, "gtid"));
        long retention = src.path("retention_seconds").asLong(-1);
        line(
                "  retention %s; the committed position's file is purged in %s",
                retention == 0 ? "none (never purged)" : seconds(src.path("retention_seconds")),
                seconds(src.path("seconds_until_purge")));
    }

    private void capture(JsonNode c) {
        if (c.isMissingNode()) {
            return;
        }
        line("");
        line(
                "Capture  %s, lag %s, %s events committed, %s Kafka commits, last commit %s ago, %s reconnects",
                text(c, "state"),
                seconds(c.path("lag_seconds")),
                count(c.path("events_committed")),
                count(c.path("kafka_commits")),
                seconds(c.path("last_commit_age_seconds")),
                count(c.path("reconnects")));
    }

    private void tables(JsonNode tables, long nowMs) {
        if (!tables.isArray() || tables.isEmpty()) {
            return;
        }
        line("");
        line("  %-40s %12s  %-12s  %s", "table", "events", "last change", "copy");
        for (JsonNode t : tables) {
            line(
                    "  %-40s %12s  %-12s  %s",
                    text(t, "table"),
                    count(t.path("events")),
                    ago(t.path("last_change"), nowMs),
                    copy(t.path("snapshot")));
        }
    }

    private void loader(JsonNode l, long nowMs) {
        if (l.isMissingNode()) {
            return;
        }
        line("");
        line(
                "Loader   group %s, %s of %s workers, %s events loaded, %s rows applied, %s batches, lag %s events",
                text(l, "group"),
                count(l.path("workers_running")),
                count(l.path("workers")),
                count(l.path("events")),
                count(l.path("rows")),
                count(l.path("batches")),
                count(l.path("lag_records")));
        if (l.path("tables").isEmpty()) {
            return;
        }
        line("  %-40s %12s  %12s  %-8s  %s", "table", "events", "lag events", "lag", "last applied");
        for (JsonNode t : l.path("tables")) {
            line(
                    "  %-40s %12s  %12s  %-8s  %s",
                    text(t, "table"),
                    count(t.path("events")),
                    count(t.path("lag_records")),
                    seconds(t.path("lag_seconds")),
                    ago(t.path("last_applied"), nowMs));
        }
    }

    private void problems(JsonNode problems) {
        if (!problems.isArray() || problems.isEmpty()) {
            return;
        }
        line("");
        line("Last warnings and errors");
        for (JsonNode p : problems) {
            line(
                    "  %s %-5s %s: %s",
                    TIME.format(Instant.ofEpochMilli(p.path("time").asLong())),
                    text(p, "level"),
                    text(p, "logger"),
                    text(p, "message"));
        }
    }

    private static String copy(JsonNode s) {
        if (s.isMissingNode() || s.isNull()) {
            return "-";
        }
        int percent = (int) Math.floor(s.path("fraction").asDouble() * 100);
        String bar = "#".repeat(percent / 5) + ".".repeat(20 - percent / 5);
        if (s.path("finished").asBoolean()) {
            return "[" + bar + "] done, " + count(s.path("rows_copied")) + " rows";
        }
        return "[" + bar + "] " + percent + " %, "
                + Math.round(s.path("rows_per_second").asDouble()) + " rows/s, ETA " + seconds(s.path("eta_seconds"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? "-" : v.asText();
    }

    private static String count(JsonNode n) {
        return n.isNumber() ? String.format("%,d", n.asLong()) : "-";
    }

    private static String ago(JsonNode ms, long nowMs) {
        return ms.isNumber() && ms.asLong() > 0 ? seconds((nowMs - ms.asLong()) / 1000.0) + " ago" : "-";
    }

    static String seconds(JsonNode n) {
        return n.isNumber() ? seconds(n.asDouble()) : "-";
    }

    static String seconds(double s) {
        if (s < 1) {
            return "< 1 s";
        }
        if (s < 120) {
            return Math.round(s) + " s";
        }
        if (s < 7200) {
            return Math.round(s / 60) + " min";
        }
        if (s < 172_800) {
            return String.format("%.1f h", s / 3600);
        }
        return String.format("%.1f d", s / 86_400);
    }

    private void line(String format, Object... args) {
        out.append(args.length == 0 ? format : String.format(format, args)).append('\n');
    }
}
