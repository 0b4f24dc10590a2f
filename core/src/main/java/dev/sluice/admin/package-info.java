/** The read-only admin HTTP endpoint every Sluice process serves: {@code /health} and {@code /metrics}. */
package dev.sluice.admin;
