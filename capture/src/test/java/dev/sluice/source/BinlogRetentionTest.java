package dev.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which variable decides the retention, on each server family (values as SHOW GLOBAL VARIABLES prints them). */
class BinlogRetentionTest {
    @Test
    void mariaDb106AndLaterKeepSecondsAndDaysInStep() {
        assertEquals(
                86_400,
                BinlogRetention.expireSeconds(
                        Map.of("binlog_expire_logs_seconds", "86400", "expire_logs_days", "1.000000")));
        assertEquals(
                0,
                BinlogRetention.expireSeconds(
                        Map.of("binlog_expire_logs_seconds", "0", "expire_logs_days", "0.000000")));
    }

    @Test
    void olderMariaDbHasOnlyFractionalDays() {
        assertEquals(43_200, BinlogRetention.expireSeconds(Map.of("expire_logs_days", "0.500000")));
    }

    @Test
    void mySqlUsesSecondsElseDaysUnlessAutoPurgeIsOff() {
        assertEquals(
                2_592_000,
                BinlogRetention.expireSeconds(Map.of(
                        "binlog_expire_logs_seconds",
                        "2592000",
                        "expire_logs_days",
                        "0",
                        "binlog_expire_logs_auto_purge",
                        "ON")));
        assertEquals(
                172_800,
                BinlogRetention.expireSeconds(Map.of("binlog_expire_logs_seconds", "0", "expire_logs_days", "2")));
        assertEquals(
                0,
                BinlogRetention.expireSeconds(
                        Map.of("binlog_expire_logs_seconds", "2592000", "binlog_expire_logs_auto_purge", "OFF")));
    }

    @Test
    void noSettingMeansNeverPurged() {
        assertEquals(0, BinlogRetention.expireSeconds(Map.of()));
    }
}
