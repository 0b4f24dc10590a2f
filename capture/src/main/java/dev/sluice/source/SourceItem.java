package dev.sluice.source;

import com.github.shyiko.mysql.binlog.event.Event;

/** What the binlog reader hands to the pipeline thread, in binlog order. */
public sealed interface SourceItem {
    /** One decoded binlog event. */
    record BinlogEvent(Event event) implements SourceItem {}

    /** The connection failed or an event could not be decoded; nothing after this item is delivered. */
    record Failure(Exception cause) implements SourceItem {}
}
