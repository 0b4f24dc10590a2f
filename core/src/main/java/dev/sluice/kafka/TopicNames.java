package dev.sluice.kafka;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Topic names. Rows of table {@code db.t} go to {@code <prefix>.<db>.<t>}. Kafka allows only
 * {@code [A-Za-z0-9._-]} in topic names while MySQL identifiers allow almost anything, including '.', so each
 * identifier is escaped: letters, digits and '_' stay, every other byte of its UTF-8 form becomes {@code -XX}
 * (hex). '-' only ever starts an escape and '.' only ever separates, so two different tables can never map to the
 * same topic ({@code a.b}+{@code c} is {@code p.a-2Eb.c}, {@code a}+{@code b.c} is {@code p.a.b-2Ec}), and
 * {@link #parse} reads the table back from a topic.
 *
 * <p>Internal topics have a single segment after the prefix starting with '_', which no table topic has:
 * {@code <prefix>._positions}, {@code <prefix>._schema_changes}, {@code <prefix>._schemas} and
 * {@code <prefix>._snapshot_requests}.
 *
 * <p>Kafka additionally refuses two topics that differ only by '.' versus '_' (their metric names collide);
 * {@link TopicAdmin} reports that as an error naming both tables rather than renaming anything.
 */
public final class TopicNames {
    private static final int MAX_LENGTH = 249;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String prefix;

    public TopicNames(String prefix) {
        this.prefix = prefix;
    }

    public String table(String database, String table) {
        String name = prefix + "." + escape(database) + "." + escape(table);
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("The topic name for table " + database + "." + table + " would be "
                    + name.length() + " characters, more than Kafka's " + MAX_LENGTH
                    + "; use a shorter kafka.topic-prefix "
                    + "or exclude the table");
        }
        return name;
    }

    public String positions() {
        return prefix + "._positions";
    }

    public String schemaChanges() {
        return prefix + "._schema_changes";
    }

    /** Every version of every captured table's columns, keyed by table and version (compacted). */
    public String schemas() {
        return prefix + "._schemas";
    }

    /** Requests to copy a table ({@code sluice snapshot}), keyed by pipeline name. */
    public String snapshotRequests() {
        return prefix + "._snapshot_requests";
    }

    /** Every change topic of this prefix, and no internal one: two segments after the prefix, as {@link #table}. */
    public java.util.regex.Pattern changeTopicPattern() {
        return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix) + "\\.[^.]+\\.[^.]+");
    }

    /** A captured table, as {@link #parse} reads it back from its topic. */
    public record Table(String database, String table) {}

    /**
     * The table whose change topic {@code topic} is: the inverse of {@link #table}. Empty for a topic that is not a
     * change topic of this prefix (an internal topic such as {@code _positions}, another prefix's topic, or a name
     * that {@link #table} never produces, such as a non-canonical escape).
     */
    public Optional<Table> parse(String topic) {
        if (!topic.startsWith(prefix + ".")) {
            return Optional.empty();
        }
        String rest = topic.substring(prefix.length() + 1);
        int dot = rest.indexOf('.');
        if (dot < 0 || rest.indexOf('.', dot + 1) >= 0) {
            return Optional.empty();
        }
        String database = unescape(rest.substring(0, dot));
        String table = unescape(rest.substring(dot + 1));
        return database == null || table == null ? Optional.empty() : Optional.of(new Table(database, table));
    }

    /** The identifier {@code escaped} stands for, or null when {@link #escape} would not have written it so. */
    private static String unescape(String escaped) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '-') {
                bytes.write(c);
            } else if (i + 2 < escaped.length() && hex(escaped.charAt(i + 1)) >= 0 && hex(escaped.charAt(i + 2)) >= 0) {
                bytes.write(hex(escaped.charAt(i + 1)) << 4 | hex(escaped.charAt(i + 2)));
                i += 2;
            } else {
                return null;
            }
        }
        try {
            String identifier = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
            return escape(identifier).equals(escaped) ? identifier : null;
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    static String escape(String identifier) {
        StringBuilder out = new StringBuilder(identifier.length());
        for (byte b : identifier.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
                out.append((char) c);
            } else {
                out.append('-').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return out.toString();
    }
}
