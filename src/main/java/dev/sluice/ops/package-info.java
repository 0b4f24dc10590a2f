/** Errors, exit codes, retry decisions and the pipeline's own counters. */
package dev.sluice.ops;
