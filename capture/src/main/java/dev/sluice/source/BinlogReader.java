package dev.sluice.source;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import dev.sluice.config.SluiceConfig;
import dev.sluice.position.BinlogPosition;
import dev.sluice.schema.CharsetMap;
import java.io.IOException;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binlog connection, wrapping the binlog client library. Thread ownership: the library's own thread reads and
 * deserializes events and only puts them into a queue bounded by events and by binlog bytes ({@link ReadAheadQueue};
 * back-pressure: when the pipeline is slower, the queue fills, the thread blocks and TCP flow control holds the
 * server); the pipeline thread takes them. The library's automatic reconnect is off, because it would resume from its
 * own idea of the position, possibly in the middle of a transaction the pipeline already half-published; the
 * pipeline reconnects from its committed position instead.
 */
public final class BinlogReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BinlogReader.class);
    private static final int QUEUE_CAPACITY = 8192;
    /** Binlog bytes of the events queued at most: ~160,000 100-byte rows, seconds of the pipeline's work. */
    static final int QUEUE_BYTES = 16 << 20;

    private final BinaryLogClient client;
    private final ReadAheadQueue<SourceItem> queue = new ReadAheadQueue<>(QUEUE_CAPACITY, QUEUE_BYTES);
    private volatile boolean closed;

    private BinlogReader(BinaryLogClient client) {
        this.client = client;
    }

    /**
     * Connects and starts streaming from {@code from} (its GTID set; the server finds the file and offset).
     * {@code charsets} decodes the ENUM and SET labels of TABLE_MAP events.
     */
    public static BinlogReader open(SluiceConfig.Source source, BinlogPosition from, CharsetMap charsets) {
        BinaryLogClient client = new BinaryLogClient(
                source.host(), source.port(), source.user(), source.password().reveal());
        client.setServerId(source.serverId());
        client.setKeepAlive(false);
        client.setHeartbeatInterval(source.heartbeat().toMillis());
        client.setUseSendAnnotateRowsEvent(false);
        client.setGtidSet(from.gtids().toString());
        client.setUseBinlogFilenamePositionInGtidMode(false);
        client.setEventDeserializer(eventDeserializer(charsets));
        BinlogReader reader = new BinlogReader(client);
        client.registerEventListener(event -> reader.offer(new SourceItem.BinlogEvent(event)));
        client.registerLifecycleListener(reader.new FailureForwarder());
        reader.connect(source, from);
        return reader;
    }

    /** The next item, or {@code null} if none arrived within the timeout. */
    public SourceItem poll(long timeoutMs) throws InterruptedException {
        return queue.poll(timeoutMs);
    }

    /**
     * Whether nothing is waiting to be taken: every event the library has read from the server so far has been
     * handed over. (The server may have sent more that the library is still reading.)
     */
    public boolean drained() {
        return queue.isEmpty();
    }

    @Override
    public void close() {
        closed = true;
        queue.clear(); // unblock the library thread if it waits in put()
        try {
            client.disconnect();
        } catch (IOException e) {
            log.debug("Error while disconnecting from the binlog: {}", e.toString());
        }
        queue.clear();
    }

    private void connect(SluiceConfig.Source source, BinlogPosition from) {
        try {
            log.info(
                    "Connecting to the binlog of {} as server_id {} from {}",
                    source.address(),
                    source.serverId(),
                    from.describe());
            client.connect(30_000);
        } catch (TimeoutException e) {
            close();
            throw new BinlogConnectionException(
                    "Timed out opening the binlog stream of " + source.address() + " after 30 s", e);
        } catch (IOException e) {
            close();
            throw new BinlogConnectionException(
                    "Cannot open the binlog stream of " + source.address() + ": " + e.getMessage(), e);
        }
    }

    private void offer(SourceItem item) {
        if (closed) {
            return;
        }
        try {
            queue.put(
                    item,
                    item instanceof SourceItem.BinlogEvent event
                                    && event.event().getHeader() instanceof EventHeaderV4 header
                            ? header.getEventLength()
                            : 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Events the library fails to deserialize would otherwise be logged and skipped by the library: here they
     * become a failure that stops the pipeline before the event.
     */
    private final class FailureForwarder implements BinaryLogClient.LifecycleListener {
        @Override
        public void onConnect(BinaryLogClient c) {}

        @Override
        public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
            offer(new SourceItem.Failure(ex));
        }

        @Override
        public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
            offer(new SourceItem.Failure(ex));
            try {
                c.disconnect();
            } catch (IOException e) {
                log.debug("Error while disconnecting after a decode failure: {}", e.toString());
            }
        }

        @Override
        public void onDisconnect(BinaryLogClient c) {
            if (!closed) {
                offer(new SourceItem.Failure(
                        new IOException("the binlog connection was closed (by the server or the network)")));
            }
        }
    }

    /**
     * The deserializers for the events Sluice interprets. Any event type not listed here arrives with no data and
     * is refused by the pipeline's dispatch table, so an unknown event can never be skipped silently.
     */
    private static EventDeserializer eventDeserializer(CharsetMap charsets) {
        Map<Long, TableMapEventData> tables = boundedTableCache();
        EventDeserializer deserializer = new EventDeserializer(
                new EventHeaderV4Deserializer(), new NullEventDataDeserializer(), new IdentityHashMap<>(), tables);
        deserializer.setCompatibilityMode(CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        Map<EventType, com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer<?>> d =
                new EnumMap<>(EventType.class);
        EventDeserializer defaults = new EventDeserializer();
        for (EventType type : new EventType[] {
            EventType.FORMAT_DESCRIPTION,
            EventType.ROTATE,
            EventType.QUERY,
            EventType.XID,
            EventType.GTID,
            EventType.MARIADB_GTID,
            EventType.MARIADB_GTID_LIST
        }) {
            d.put(type, defaults.getEventDataDeserializer(type));
        }
        // The library decodes every TABLE_MAP a second time with its own deserializer, for its row deserializers,
        // unless the registered one is exactly its own or a wrapper (EventDeserializer.afterEventDataDeserializerSet):
        // register a wrapper whose "internal" decoding (kept for the rows) and "external" one (handed to the
        // pipeline) are both Sluice's. The second call returns the first one's cached result, the same instance.
        ExactTableMapDeserializer tableMaps = new ExactTableMapDeserializer(charsets);
        d.put(EventType.TABLE_MAP, new EventDeserializer.EventDataWrapper.Deserializer(tableMaps, tableMaps));
        d.put(EventType.WRITE_ROWS, new ExactRowDeserializers.Write(tables));
        d.put(EventType.EXT_WRITE_ROWS, new ExactRowDeserializers.Write(tables).setMayContainExtraInformation(true));
        d.put(EventType.UPDATE_ROWS, new ExactRowDeserializers.Update(tables));
        d.put(EventType.EXT_UPDATE_ROWS, new ExactRowDeserializers.Update(tables).setMayContainExtraInformation(true));
        d.put(EventType.DELETE_ROWS, new ExactRowDeserializers.Delete(tables));
        d.put(EventType.EXT_DELETE_ROWS, new ExactRowDeserializers.Delete(tables).setMayContainExtraInformation(true));
        d.forEach(deserializer::setEventDataDeserializer);
        return deserializer;
    }

    /** TABLE_MAP events by table id; bounded because every ALTER TABLE gives a table a new id. */
    private static Map<Long, TableMapEventData> boundedTableCache() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, TableMapEventData> eldest) {
                return size() > 10_000;
            }
        };
    }

    /** The binlog connection could not be opened or was lost; the pipeline may retry. */
    public static final class BinlogConnectionException extends RuntimeException {
        public BinlogConnectionException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
