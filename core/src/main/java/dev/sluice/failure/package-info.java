/** How Sluice fails: typed errors with exit codes, the one retry decision, and named crash points for fault tests. */
package dev.sluice.failure;
