/** The capture pipeline's counters, progress line, {@code /health} verdict and Prometheus metrics. */
package dev.sluice.monitor;
