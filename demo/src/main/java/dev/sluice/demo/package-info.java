/** The zero-setup demo: an embedded MariaDB, a local Kafka broker, a shop workload and a live view. */
package dev.sluice.demo;
