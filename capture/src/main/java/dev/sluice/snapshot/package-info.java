/** Table snapshots: chunks of existing rows published into the stream at their read points, resumable per chunk. */
package dev.sluice.snapshot;
