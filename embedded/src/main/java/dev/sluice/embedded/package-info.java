/** Local MariaDB and Kafka servers started as child processes, for the demo, the tests and the benchmarks. */
package dev.sluice.embedded;
