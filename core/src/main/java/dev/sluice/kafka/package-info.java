/**
 * Kafka I/O: topic names and their inverse, topic creation, the transactional writer, the one way to build a
 * consumer of Sluice's topics, and the committed position.
 */
package dev.sluice.kafka;
