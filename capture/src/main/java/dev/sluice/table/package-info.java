/** Reading a source table exactly, by key range: its catalog schema and key, chunk bounds, exact cells, a throttle. */
package dev.sluice.table;
