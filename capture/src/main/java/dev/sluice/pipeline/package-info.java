/**
 * The pipeline: the startup story, and the stream loop (one thread) with its handlers, of which the committer alone
 * advances the position.
 */
package dev.sluice.pipeline;
