/** The DuckDB target of {@code sluice load}: one local file, Appender into staging, one guarded apply. */
package dev.sluice.load.duckdb;
