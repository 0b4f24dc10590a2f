package dev.sluice.position;

/** Which server family wrote the binlog; decides the GTID format. */
public enum Flavor {
    /** GTID {@code domain-server-sequence}; a position holds the last GTID per replication domain. */
    MARIADB,
    /** GTID {@code source_uuid:transaction_id}; a position holds the set of executed intervals per UUID. */
    MYSQL
}
