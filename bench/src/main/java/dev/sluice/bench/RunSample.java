package dev.sluice.bench;

import java.util.Map;

/**
 * One system's drain of one workload's backlog in one round of the comparison. {@code seconds} runs from the JVM
 * launch to the moment a consumer could read the whole backlog; {@code cpuSeconds} is the system's process from its
 * start to then (/proc/pid/stat), JVM start-up included for both systems. {@code secondsToFirstOutput} is the JVM
 * launch to the first output (Sluice: its first committed transaction; Debezium: the first record Kafka acknowledged)
 * and {@code steadyEventsPerSecond} the rate from then to the last (the same events, without start-up), each by the
 * system's own clock. {@code check} compares the system's table topics with the backlog and the source.
 */
record RunSample(
        String workload,
        String system,
        int round,
        boolean counted,
        long events,
        double seconds,
        double cpuSeconds,
        Map<String, Double> threadCpuSeconds,
        long peakRssBytes,
        GcLog gc,
        double brokerCpuSeconds,
        double mariadbCpuSeconds,
        WorkloadCheck check,
        int exitCode,
        String topicPrefix,
        double secondsToFirstOutput,
        double steadyEventsPerSecond) {

    double eventsPerSecond() {
        return events / seconds;
    }

    double cpuSecondsPerMillion() {
        return cpuSeconds * 1e6 / events;
    }

    boolean checkOk() {
        return check.ok();
    }
}
