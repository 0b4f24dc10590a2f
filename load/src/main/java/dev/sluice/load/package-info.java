/**
 * Loading: the change topics into a target database, exactly once by source version ({@code sluice load}). Reads
 * only Kafka (the change topics and {@code _schemas}); never the source.
 */
package dev.sluice.load;
