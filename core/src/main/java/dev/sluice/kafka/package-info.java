/** Writing to Kafka: topic names, topic creation, the transactional writer and the committed position. */
package dev.sluice.kafka;
