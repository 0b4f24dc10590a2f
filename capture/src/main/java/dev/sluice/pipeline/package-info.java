/** The pipeline: the startup story, and the stream loop that owns the position. */
package dev.sluice.pipeline;
