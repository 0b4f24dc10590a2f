/** Benchmarks that measure Sluice and check the data they moved. */
package dev.sluice.bench;
