package dev.sluice.table;

import dev.sluice.schema.Column;
import dev.sluice.schema.TableSchema;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Reads a table's rows over JDBC as the very cells the binlog decoder produces for the same values, so that
 * {@code EnvelopeEncoder} writes identical JSON for a snapshot row and a streamed one. Each column is selected with
 * an expression whose result is exact on a {@link SourceConnection} (docs/types.md, "Snapshot values"):
 *
 * <table>
 *   <caption>per kind: the SELECT expression and the cell</caption>
 *   <tr><td>TINYINT … INT</td><td>{@code `c`}</td><td>Integer, wrapped to the signed width as the binlog sends it
 *       (CellWriter applies UNSIGNED)</td></tr>
 *   <tr><td>BIGINT</td><td>{@code `c`}; UNSIGNED {@code CAST(`c` AS SIGNED)}</td><td>Long (two's complement)</td></tr>
 *   <tr><td>DECIMAL</td><td>{@code `c`}</td><td>BigDecimal at the column's scale</td></tr>
 *   <tr><td>FLOAT / DOUBLE</td><td>{@code CAST(`c` AS DOUBLE)} / {@code `c`}</td><td>Float / Double</td></tr>
 *   <tr><td>BIT</td><td>{@code `c`} (raw big-endian bytes)</td><td>BitSet</td></tr>
 *   <tr><td>YEAR</td><td>{@code `c`+0}</td><td>Integer (0 stays 0)</td></tr>
 *   <tr><td>DATE, TIME, DATETIME</td><td>{@code CAST(`c` AS CHAR)}</td><td>the server's text</td></tr>
 *   <tr><td>TIMESTAMP</td><td>{@code CAST(`c` AS CHAR)} at time_zone +00:00</td><td>ISO-8601 UTC text</td></tr>
 *   <tr><td>CHAR, VARCHAR, TEXT</td><td>{@code CAST(`c` AS BINARY)}</td><td>the bytes in the column's charset,
 *       CHAR without its trailing spaces</td></tr>
 *   <tr><td>BINARY, VARBINARY, BLOB</td><td>{@code `c`}</td><td>the bytes; BINARY(n) without trailing zero
 *       bytes, as the binlog strips them</td></tr>
 *   <tr><td>ENUM / SET</td><td>{@code `c`+0} / {@code CAST(`c`+0 AS SIGNED)}</td><td>Integer index / Long
 *       bitmask</td></tr>
 *   <tr><td>GEOMETRY</td><td>{@code `c`}</td><td>SRID + WKB bytes (the server's storage format)</td></tr>
 *   <tr><td>UUID, INET6 / INET4</td><td>{@code CAST(`c` AS BINARY(16))} / {@code (4)}</td><td>the bytes, without
 *       trailing zero bytes</td></tr>
 * </table>
 *
 * <p>Immutable after construction: one instance may be shared by every worker thread reading the table.
 */
public final class SnapshotCells {
    private final Column[] columns;
    private final Read[] reads;
    private final List<LabelCheck> labelChecks;
    private final String selectList;

    public SnapshotCells(TableSchema schema) {
        this.columns = schema.columns().toArray(new Column[0]);
        this.reads = new Read[columns.length];
        List<String> expressions = new ArrayList<>(columns.length);
        for (int i = 0; i < reads.length; i++) {
            reads[i] = Read.of(columns[i], schema);
            expressions.add(reads[i].expression(quoted(columns[i].name()), columns[i]));
        }
        this.labelChecks = LabelCheck.of(schema, expressions);
        this.selectList = String.join(", ", expressions);
    }

    /**
     * The SELECT list: the table's columns in order (result columns 1..n, what {@link #read} reads), followed by
     * a check expression for each ENUM/SET column whose catalog labels may have lost characters.
     */
    public String selectList() {
        return selectList;
    }

    /** The current row of {@code rs} (selected with {@link #selectList()}), one cell per column, null for NULL. */
    public Serializable[] read(ResultSet rs) throws SQLException {
        Serializable[] row = new Serializable[reads.length];
        for (int i = 0; i < reads.length; i++) {
            row[i] = reads[i].read(rs, i + 1, columns[i]);
        }
        for (LabelCheck check : labelChecks) {
            check.verify(rs, row);
        }
        return row;
    }

    /** A backtick-quoted identifier, backticks doubled. */
    static String quoted(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** How one kind of column is selected and turned into the binlog decoder's cell. */
    private enum Read {
        /** The binlog sends integers at their storage width, signed; CellWriter masks UNSIGNED ones. */
        TINYINT {
            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : (int) (byte) v;
            }
        },
        SMALLINT {
            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : (int) (short) v;
            }
        },
        MEDIUMINT {
            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : ((int) v << 8) >> 8;
            }
        },
        INT {
            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : (int) v;
            }
        },
        /** An UNSIGNED value above 2^63 does not fit getLong: the server casts it to its two's complement. */
        BIGINT {
            @Override
            String expression(String q, Column c) {
                return c.unsigned() ? "CAST(" + q + " AS SIGNED)" : q;
            }

            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : v;
            }
        },
        /** The server's text has the column's scale; the binlog decoder's BigDecimal too (CellWriter prints it). */
        DECIMAL {
            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                BigDecimal v = rs.getBigDecimal(i);
                int scale = c.meta() >> 8;
                return v == null || v.scale() == scale ? v : v.setScale(scale);
            }
        },
        /** A FLOAT column's own text has 6 significant digits; widened to DOUBLE it is exact. */
        FLOAT {
            @Override
            String expression(String q, Column c) {
                return "CAST(" + q + " AS DOUBLE)";
            }

            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                double v = rs.getDouble(i);
                return rs.wasNull() ? null : (float) v;
            }
        },
        /** The server prints a DOUBLE as its shortest round-trip decimal. */
        DOUBLE {
            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                double v = rs.getDouble(i);
                return rs.wasNull() ? null : v;
            }
        },
        /** BIT arrives as its big-endian bytes; the binlog decoder's BitSet has bit k = bit k of the value. */
        BIT {
            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                byte[] v = rs.getBytes(i);
                if (v == null) {
                    return null;
                }
                byte[] littleEndian = new byte[v.length];
                for (int k = 0; k < v.length; k++) {
                    littleEndian[k] = v[v.length - 1 - k];
                }
                return BitSet.valueOf(littleEndian);
            }
        },
        /** As a number, so YEAR 0 is 0 (no driver date logic). */
        YEAR {
            @Override
            String expression(String q, Column c) {
                return q + "+0";
            }

            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                int v = rs.getInt(i);
                return rs.wasNull() ? null : v;
            }
        },
        /** The server's text is TemporalCodec's: zero dates, negative and > 24 h TIME, fsp fraction digits. */
        TEMPORAL {
            @Override
            String expression(String q, Column c) {
                return "CAST(" + q + " AS CHAR)";
            }

            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                return rs.getString(i);
            }
        },
        /** In the session's +00:00 the text is the UTC instant; written as TemporalCodec does (T, Z; zero as is). */
        TIMESTAMP {
            @Override
            String expression(String q, Column c) {
                return "CAST(" + q + " AS CHAR)";
            }

            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                String v = rs.getString(i);
                if (v == null || v.startsWith("0000-00-00")) {
                    return v;
                }
                StringBuilder iso = new StringBuilder(v.length() + 1).append(v).append('Z');
                iso.setCharAt(10, 'T');
                return iso.toString();
            }
        },
        /**
         * Character data as its bytes in the column's charset, unconverted (CellWriter decodes them as it does
         * the binlog's). Reading the value strips CHAR's trailing spaces exactly as the binlog does.
         */
        TEXT {
            @Override
            String expression(String q, Column c) {
                return "CAST(" + q + " AS BINARY)";
            }

            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                return rs.getBytes(i);
            }
        },
        BYTES {
            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                return rs.getBytes(i);
            }
        },
        /**
         * BINARY(n): SELECT returns all n bytes, the binlog strips the trailing zero bytes (its pad character);
         * stripped here too, CellWriter pads both back.
         */
        FIXED_BINARY {
            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                return withoutTrailingZeros(rs.getBytes(i));
            }
        },
        /** MariaDB's UUID/INET6: CAST to binary gives the bytes the binlog carries (text order), stripped alike. */
        FIXED_BINARY_16 {
            @Override
            String expression(String q, Column c) {
                return "CAST(" + q + " AS BINARY(16))";
            }

            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                return withoutTrailingZeros(rs.getBytes(i));
            }
        },
        FIXED_BINARY_4 {
            @Override
            String expression(String q, Column c) {
                return "CAST(" + q + " AS BINARY(4))";
            }

            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                return withoutTrailingZeros(rs.getBytes(i));
            }
        },
        /** The index, as the binlog sends it (0 for the invalid-value entry). */
        ENUM {
            @Override
            String expression(String q, Column c) {
                return q + "+0";
            }

            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : (int) v;
            }
        },
        /** The bitmask; with 64 members it needs all 64 bits, so the server casts it to a signed value. */
        SET {
            @Override
            String expression(String q, Column c) {
                return "CAST(" + q + "+0 AS SIGNED)";
            }

            @Override
            Serializable read(ResultSet rs, int i, Column c) throws SQLException {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : v;
            }
        };

        String expression(String quoted, Column c) {
            return quoted;
        }

        abstract Serializable read(ResultSet rs, int index, Column c) throws SQLException;

        static Read of(Column c, TableSchema schema) {
            return switch (c.kind()) {
                case TINYINT -> TINYINT;
                case SMALLINT -> SMALLINT;
                case MEDIUMINT -> MEDIUMINT;
                case INT -> INT;
                case BIGINT -> BIGINT;
                case DECIMAL -> DECIMAL;
                case FLOAT -> FLOAT;
                case DOUBLE -> DOUBLE;
                case BIT -> BIT;
                case YEAR -> YEAR;
                case DATE, TIME, DATETIME -> TEMPORAL;
                case TIMESTAMP -> TIMESTAMP;
                case CHAR -> c.isBinary() ? FIXED_BINARY : TEXT;
                case VARCHAR, BLOB -> c.isBinary() ? BYTES : TEXT;
                case ENUM -> ENUM;
                case SET -> SET;
                case GEOMETRY -> BYTES;
                case UUID, INET6 -> FIXED_BINARY_16;
                case INET4 -> FIXED_BINARY_4;
                case JSON, VECTOR ->
                    throw new CatalogSchema.UnsupportedColumnException("column `" + c.name()
                            + "` of " + schema.qualifiedName() + " is a " + c.kind() + " column, which a snapshot "
                            + "cannot read as the stream decodes it");
            };
        }

        private static byte[] withoutTrailingZeros(byte[] v) {
            if (v == null) {
                return null;
            }
            int length = v.length;
            while (length > 0 && v[length - 1] == 0) {
                length--;
            }
            return length == v.length ? v : Arrays.copyOf(v, length);
        }
    }

    /**
     * The catalog shows ENUM/SET labels in utf8mb3, so a label character outside the Basic Multilingual Plane
     * reads as '?' (see {@link CatalogSchema}). For a column with a '?' in a label, the row's value is also
     * selected as text, and a row holding such a label must show exactly the label's text; otherwise the snapshot
     * stops rather than publish a changed value. A real '?' passes. The BitSet is never changed after construction.
     */
    private record LabelCheck(int column, int resultIndex, Column c, BitSet uncertain, String where) {
        static List<LabelCheck> of(TableSchema schema, List<String> expressions) {
            List<LabelCheck> checks = new ArrayList<>();
            for (int i = 0; i < schema.columns().size(); i++) {
                Column c = schema.columns().get(i);
                BitSet uncertain = new BitSet();
                for (int k = 0; k < c.labels().size(); k++) {
                    uncertain.set(k, c.labels().get(k).indexOf('?') >= 0);
                }
                if (!uncertain.isEmpty()) {
                    expressions.add("CONVERT(" + quoted(c.name()) + " USING utf8mb4)");
                    checks.add(new LabelCheck(
                            i,
                            expressions.size(),
                            c,
                            uncertain,
                            "column `" + c.name() + "` of " + schema.qualifiedName()));
                }
            }
            return List.copyOf(checks);
        }

        void verify(ResultSet rs, Serializable[] row) throws SQLException {
            String shown = row[column] instanceof Integer index ? enumLabel(index) : setLabels((Long) row[column]);
            if (shown == null) {
                return;
            }
            String actual = rs.getString(resultIndex);
            if (!shown.equals(actual)) {
                throw new CatalogSchema.UnsupportedColumnException("A row's value of " + where + " is '" + actual
                        + "', but information_schema shows it as '" + shown + "': the catalog shows ENUM/SET labels "
                        + "in utf8mb3, which loses characters outside the Basic Multilingual Plane. Refusing to "
                        + "publish a changed value (docs/types.md, Snapshot values).");
            }
        }

        /** The label of an ENUM index if it is one to check, else null. */
        private String enumLabel(int index) {
            return index > 0 && uncertain.get(index - 1) ? c.labels().get(index - 1) : null;
        }

        /** The SET text (labels in definition order, comma-joined) if the mask holds a label to check, else null. */
        private String setLabels(Long mask) {
            if (mask == null || uncertain.stream().noneMatch(k -> (mask & (1L << k)) != 0)) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            for (int k = 0; k < c.labels().size(); k++) {
                if ((mask & (1L << k)) != 0) {
                    out.append(out.length() > 0 ? "," : "").append(c.labels().get(k));
                }
            }
            return out.toString();
        }
    }
}
