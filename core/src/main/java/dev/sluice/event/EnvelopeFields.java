package dev.sluice.event;

/**
 * The envelope's field names, declared once for {@link EnvelopeEncoder} and {@link EnvelopeDecoder}
 * (docs/output-format.md shows the envelope). A rename here changes both sides together; Debezium's consumers
 * expect exactly these names.
 */
final class EnvelopeFields {
    static final String BEFORE = "before";
    static final String AFTER = "after";
    static final String SOURCE = "source";
    static final String OP = "op";
    static final String TS_MS = "ts_ms";

    // The source block.
    static final String VERSION = "version";
    static final String CONNECTOR = "connector";
    static final String NAME = "name";
    static final String SNAPSHOT = "snapshot";
    static final String DB = "db";
    static final String TABLE = "table";
    static final String SERVER_ID = "server_id";
    static final String GTID = "gtid";
    static final String FILE = "file";
    static final String POS = "pos";
    static final String ROW = "row";
    static final String EVENT = "event";
    static final String SCHEMA_VERSION = "schema_version";
    static final String ORDINAL = "ordinal";

    /** The connector name in {@code source.connector}. */
    static final String CONNECTOR_NAME = "sluice";

    private EnvelopeFields() {}
}
