package dev.sluice.schema;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the collation ids in TABLE_MAP metadata to Java charsets. The id → character set table is read from the
 * server itself ({@code information_schema.COLLATIONS}), so ids the server adds later are known without a release.
 * A collation of the {@code binary} character set maps to {@code null}: those bytes are not text.
 *
 * <p>It also names collations and knows each character set's bytes per character, for the column definitions of
 * the {@code _schemas} topic: MariaDB 10.10+ gives its UCA-14.0 collations (ids 2048 and up, such as
 * {@code utf8mb4_uca1400_ai_ci}) an id only in {@code COLLATION_CHARACTER_SET_APPLICABILITY}.
 */
public final class CharsetMap {
    private static final Map<String, String> MYSQL_TO_JAVA = Map.ofEntries(
            Map.entry("utf8mb4", "UTF-8"),
            Map.entry("utf8mb3", "UTF-8"),
            Map.entry("utf8", "UTF-8"),
            // MySQL's latin1 is Windows-1252 (0x80 is the euro sign), not ISO-8859-1; see MariaDbLatin1.
            Map.entry("latin1", MariaDbLatin1.INSTANCE.name()),
            Map.entry("ascii", "US-ASCII"),
            Map.entry("ucs2", "UTF-16BE"),
            Map.entry("utf16", "UTF-16BE"),
            Map.entry("utf16le", "UTF-16LE"),
            Map.entry("utf32", "UTF-32BE"),
            Map.entry("latin2", "ISO-8859-2"),
            Map.entry("latin5", "ISO-8859-9"),
            Map.entry("latin7", "ISO-8859-13"),
            Map.entry("greek", "ISO-8859-7"),
            Map.entry("hebrew", "ISO-8859-8"),
            Map.entry("cp1250", "windows-1250"),
            Map.entry("cp1251", "windows-1251"),
            Map.entry("cp1256", "windows-1256"),
            Map.entry("cp1257", "windows-1257"),
            Map.entry("cp850", "IBM850"),
            Map.entry("cp852", "IBM852"),
            Map.entry("cp866", "IBM866"),
            Map.entry("koi8r", "KOI8-R"),
            Map.entry("koi8u", "KOI8-U"),
            Map.entry("sjis", "Shift_JIS"),
            Map.entry("cp932", "windows-31j"),
            Map.entry("ujis", "EUC-JP"),
            Map.entry("eucjpms", "x-eucJP-Open"),
            Map.entry("euckr", "EUC-KR"),
            Map.entry("gbk", "GBK"),
            Map.entry("gb2312", "GB2312"),
            Map.entry("gb18030", "GB18030"),
            Map.entry("big5", "Big5"),
            Map.entry("tis620", "TIS-620"),
            Map.entry("macroman", "x-MacRoman"),
            Map.entry("macce", "x-MacCentralEurope"));
    // Not mapped, so refused rather than guessed: swe7, dec8, hp8, keybcs2, armscii8, geostd8 have no Java charset
    // with the same table (an approximation such as ISO-8859-1 would silently change their text).

    private final Map<Integer, String> charsetByCollationId;
    private final Map<Integer, Collation> collations;
    private final Map<String, Integer> maxBytesPerChar;

    /** A collation's name and character set, as the server names them. */
    public record Collation(String name, String charset) {}

    public CharsetMap(Map<Integer, String> charsetByCollationId) {
        this(charsetByCollationId, Map.of(), Map.of());
    }

    public CharsetMap(
            Map<Integer, String> charsetByCollationId,
            Map<Integer, Collation> collations,
            Map<String, Integer> maxBytesPerChar) {
        this.charsetByCollationId = Map.copyOf(charsetByCollationId);
        this.collations = Map.copyOf(collations);
        this.maxBytesPerChar = Map.copyOf(maxBytesPerChar);
    }

    public static CharsetMap load(Connection connection) throws SQLException {
        Map<Integer, String> map = new HashMap<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATIONS")) {
            while (rs.next()) {
                // MariaDB 10.10+ also lists charset-independent collation names, with no id and no charset.
                if (rs.getString(2) != null && rs.getObject(1) != null) {
                    map.put(rs.getInt(1), rs.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        return new CharsetMap(map, collations(connection), maxBytesPerChar(connection));
    }

    private static Map<Integer, Collation> collations(Connection connection) throws SQLException {
        Map<Integer, Collation> names = new HashMap<>();
        readCollations(
                connection, "SELECT ID, COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLLATIONS", names);
        try {
            readCollations(
                    connection,
                    "SELECT ID, FULL_COLLATION_NAME, CHARACTER_SET_NAME "
                            + "FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY",
                    names);
        } catch (SQLException e) {
            // Before MariaDB 10.10 (and on MySQL) the table has no ids: COLLATIONS named them all.
        }
        return names;
    }

    private static void readCollations(Connection connection, String sql, Map<Integer, Collation> names)
            throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                if (rs.getObject(1) != null && rs.getString(3) != null) {
                    names.putIfAbsent(
                            rs.getInt(1),
                            new Collation(rs.getString(2), rs.getString(3).toLowerCase(Locale.ROOT)));
                }
            }
        }
    }

    private static Map<String, Integer> maxBytesPerChar(Connection connection) throws SQLException {
        Map<String, Integer> max = new HashMap<>();
        try (Statement st = connection.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT CHARACTER_SET_NAME, MAXLEN FROM information_schema.CHARACTER_SETS")) {
            while (rs.next()) {
                max.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getInt(2));
            }
        }
        return max;
    }

    /** The collation with this id, or {@code null} when the server did not name it. */
    public Collation collation(int collationId) {
        return collations.get(collationId);
    }

    /** Bytes per character at most in {@code charset} (4 for utf8mb4), or {@code null} when unknown. */
    public Integer maxBytesPerChar(String charset) {
        return maxBytesPerChar.get(charset);
    }

    /** The server's character set name for a collation id, or {@code null} if the server does not know the id. */
    public String charsetName(int collationId) {
        return charsetByCollationId.get(collationId);
    }

    /**
     * The Java charset for a collation id; {@code null} for binary. Throws when the id or the charset is unknown,
     * because decoding text with a guessed charset would change the data.
     */
    public Charset javaCharset(int collationId) {
        String name = charsetByCollationId.get(collationId);
        if (name == null) {
            throw new UnsupportedCharsetException("collation id " + collationId + " (unknown to the server)");
        }
        if (name.equals("binary")) {
            return null;
        }
        String javaName = MYSQL_TO_JAVA.get(name);
        if (javaName == null) {
            throw new UnsupportedCharsetException(name + " (collation id " + collationId + ")");
        }
        if (javaName.equals("UTF-8")) {
            return StandardCharsets.UTF_8;
        }
        return javaName.equals(MariaDbLatin1.INSTANCE.name()) ? MariaDbLatin1.INSTANCE : Charset.forName(javaName);
    }
}
