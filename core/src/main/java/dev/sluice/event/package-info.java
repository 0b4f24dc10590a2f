/** Change events: turning decoded binlog rows into the Debezium-compatible JSON envelope and key. */
package dev.sluice.event;
