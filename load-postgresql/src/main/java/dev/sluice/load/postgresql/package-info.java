/** The PostgreSQL and Redshift target of {@code sluice load}: COPY into staging, one guarded set-based apply. */
package dev.sluice.load.postgresql;
