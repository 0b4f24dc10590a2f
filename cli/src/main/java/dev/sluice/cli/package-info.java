/** The command line: run, demo, check, config and bench commands (picocli). */
package dev.sluice.cli;
