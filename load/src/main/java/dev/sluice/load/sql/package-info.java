/** What every SQL target of the loader shares: table names, the loader's own tables, the version guard. */
package dev.sluice.load.sql;
