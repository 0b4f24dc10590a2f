/**
 * Change events: the Debezium-compatible JSON envelope and key, encoded from decoded binlog rows
 * ({@link dev.sluice.event.EnvelopeEncoder}) and decoded back by every consumer of the topics
 * ({@link dev.sluice.event.EnvelopeDecoder}).
 */
package dev.sluice.event;
