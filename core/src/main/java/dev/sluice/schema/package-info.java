/** Table schemas as the binlog itself describes them (TABLE_MAP with binlog_row_metadata=FULL), and charsets. */
package dev.sluice.schema;
