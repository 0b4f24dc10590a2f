/** Reading the source: pre-flight server checks, the binlog connection, event decoding, table filters. */
package dev.sluice.source;
