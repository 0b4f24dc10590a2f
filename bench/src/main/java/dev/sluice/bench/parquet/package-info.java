/**
 * {@code ParquetWriterBench}: two ways to write Parquet with no Hadoop on the class path (DuckDB's COPY, parquet-java's
 * OutputFile interfaces), measured side by side on the same rows and read back equal (docs/why-parquet-writer.md).
 */
package dev.sluice.bench.parquet;
