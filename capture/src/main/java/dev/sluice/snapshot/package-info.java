/** Table snapshots: exact reads of existing rows over JDBC, as the same cells the binlog decoder produces. */
package dev.sluice.snapshot;
