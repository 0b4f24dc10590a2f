/** Configuration: every key declared once (type, default, validation, help), read from YAML with ${ENV} substitution. */
package dev.sluice.config;
