/**
 * Change events: the Debezium-compatible JSON envelope and key, encoded from decoded binlog rows
 * ({@link dev.sluice.event.EnvelopeEncoder}), decoded back by every consumer of the topics
 * ({@link dev.sluice.event.EnvelopeDecoder}), and folded into a table's last image per key
 * ({@link dev.sluice.event.TableFold}).
 */
package dev.sluice.event;
