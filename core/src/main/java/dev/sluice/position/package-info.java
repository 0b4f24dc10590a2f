/** The source position: GTID set, binlog file/offset and event index, one immutable comparable value. */
package dev.sluice.position;
