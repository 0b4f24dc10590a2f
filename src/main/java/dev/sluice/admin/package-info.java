/** The read-only admin HTTP endpoint: {@code /health} (is the pipeline really making progress) and {@code /metrics}. */
package dev.sluice.admin;
