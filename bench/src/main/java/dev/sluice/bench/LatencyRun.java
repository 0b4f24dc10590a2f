package dev.sluice.bench;

import static dev.sluice.config.ConfigKeys.FILTER_INCLUDE;
import static dev.sluice.config.ConfigKeys.PIPELINE_START;

import dev.sluice.config.ConfigKey;
import dev.sluice.config.ConfigKeys;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.kafka.TopicNames;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open-loop latency run: a running pipeline ({@code sluice run} in its own JVM, caught up, streaming) gets rows
 * written at fixed rates ({@link OpenLoopLoad}), and an end consumer in this JVM ({@link ArrivalRecorder}) notes when
 * each becomes visible to a read_committed consumer. Per rate, three latencies on the same clock:
 * commit → consumer (Sluice's part: the commit returned to the writer, the row is readable), due → consumer (the
 * whole path measured from when the write was due, so a source that falls behind the schedule shows up instead of
 * hiding: the coordinated-omission-free figure), and due → commit (the database's part). Commit → consumer also
 * splits at the record's timestamp, when the pipeline handed the row to its producer: commit → sent (the binlog
 * reaching Sluice, decoding, and waiting while the pipeline thread commits the Kafka transaction before) and
 * sent → consumer (the rest of the row's Kafka transaction, its commit, and the consumer's fetch).
 */
final class LatencyRun {
    private static final Logger log = LoggerFactory.getLogger(LatencyRun.class);
    private static final String PREFIX = "sluice-latency";
    private static final String PIPELINE = "sluice-bench-latency";
    /** Up to an hour, three significant digits, in microseconds. */
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private static final String KAFKA_COMMITS = "sluice_kafka_commits_total";
    private static final String RECONNECTS = "sluice_reconnects_total";

    /** The knobs of the run. */
    record Options(
            double warmupSeconds,
            double measureSeconds,
            int maxTransactionsPerSecond,
            int writerThreads,
            String heap,
            List<String> pipelineJvmOptions,
            Map<String, String> pipelineSettings) {}

    /**
     * One rate to run: a label for the report ("1,500/s", "half of capacity"), rows per second, and whether it is
     * the half-of-capacity rate the p99 target is judged at.
     */
    record Rate(String label, double eventsPerSecond, boolean halfOfCapacity) {}

    private final MariaDbServer mariadb;
    private final KafkaBroker kafka;
    private final Options options;
    private long nextId = 1;

    LatencyRun(MariaDbServer mariadb, KafkaBroker kafka, Options options) {
        this.mariadb = mariadb;
        this.kafka = kafka;
        this.options = options;
    }

    static String tableTopic() {
        return new TopicNames(PREFIX).table("bench", "latency");
    }

    /** Starts a pipeline for {@code bench.latency} alone, runs every rate in order, stops the pipeline. */
    LatencyResult run(Path dir, List<Rate> rates) throws Exception {
        try (Connection c = mariadb.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS bench");
            st.execute(OpenLoopLoad.DDL);
        }
        Map<ConfigKey<?>, Object> settings = new LinkedHashMap<>();
        options.pipelineSettings()
                .forEach((name, value) -> settings.put(ConfigKeys.named(name).orElseThrow(), value));
        settings.put(FILTER_INCLUDE, List.of(OpenLoopLoad.TABLE));
        settings.put(PIPELINE_START, "latest");
        Path config = BenchConfig.write(dir.resolve("sluice.yaml"), mariadb, kafka, PREFIX, PIPELINE, settings);
        MeasuredJvm pipeline = SluiceDrain.startPipeline(config, options.heap(), options.pipelineJvmOptions());
        try {
            awaitStreaming(pipeline);
            PipelineMetrics metrics = PipelineMetrics.of(pipeline);
            List<LatencyResult.RateResult> results = new ArrayList<>();
            for (Rate rate : rates) {
                results.add(runRate(rate, pipeline, metrics));
            }
            GcLog gc = pipeline.gcLog();
            int exit = pipeline.stop();
            return new LatencyResult(options, results, gc, exit, pipeline.jvmFlags());
        } catch (Exception | Error e) {
            pipeline.stop();
            throw new IllegalStateException(
                    e.getMessage() + "\nLast lines of " + pipeline.log() + ":\n" + pipeline.tail(20), e);
        }
    }

    /**
     * Writes a marker row every 500 ms until a read_committed consumer sees one: the pipeline (started at the
     * latest position, so it may miss the first markers) is streaming and the topic exists. Markers have negative
     * ids, outside every schedule.
     */
    private void awaitStreaming(MeasuredJvm pipeline) throws Exception {
        AtomicBoolean seen = new AtomicBoolean();
        Thread markers = new Thread(() -> writeMarkers(seen), "latency-markers");
        markers.setDaemon(true);
        markers.start();
        try (TopicWatch watch = new TopicWatch(kafka.bootstrapServers(), tableTopic())) {
            watch.awaitCommittedRecords(1, Duration.ofSeconds(120), pipeline::isAlive);
        } finally {
            seen.set(true);
            markers.join();
        }
        log.info("The latency pipeline is streaming (a marker row reached {})", tableTopic());
    }

    private void writeMarkers(AtomicBoolean seen) {
        try (Connection c = mariadb.connect();
                Statement st = c.createStatement()) {
            for (long id = -1; !seen.get(); id--) {
                st.executeUpdate("INSERT INTO " + OpenLoopLoad.TABLE + " VALUES (" + id + ", 'marker')");
                Thread.sleep(500);
            }
        } catch (SQLException e) {
            log.warn("Marker writer failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LatencyResult.RateResult runRate(Rate rate, MeasuredJvm pipeline, PipelineMetrics metrics)
            throws Exception {
        OpenLoopLoad.Schedule schedule = OpenLoopLoad.Schedule.of(
                rate.eventsPerSecond(),
                options.warmupSeconds() + options.measureSeconds(),
                options.maxTransactionsPerSecond(),
                nextId);
        nextId += schedule.rows();
        log.info(
                "Latency at {} ({} rows/s): {} transactions of {} rows over {} s, {} writer connections",
                rate.label(),
                String.format("%,.0f", rate.eventsPerSecond()),
                schedule.transactions(),
                schedule.rowsPerTransaction(),
                options.warmupSeconds() + options.measureSeconds(),
                options.writerThreads());
        OpenLoopLoad load = new OpenLoopLoad(schedule);
        SluiceDrain.Surroundings before = SluiceDrain.Surroundings.read(kafka, mariadb);
        ProcessStats.Sample sluiceBefore = ProcessStats.sample(pipeline.pid());
        LatencyResult.PipelineCounts countsBefore = counts(metrics);
        boolean complete;
        try (ArrivalRecorder arrivals = new ArrivalRecorder(kafka.bootstrapServers(), tableTopic(), schedule)) {
            arrivals.start();
            load.run(mariadb, options.writerThreads());
            complete = arrivals.awaitAll(Duration.ofSeconds(60));
            ProcessStats.Sample sluiceAfter = ProcessStats.sample(pipeline.pid());
            LatencyResult.PipelineCounts counts = counts(metrics).since(countsBefore);
            SluiceDrain.Surroundings after = SluiceDrain.Surroundings.read(kafka, mariadb);
            arrivals.close();
            LatencyResult.RateResult r = measure(
                    rate,
                    load,
                    arrivals,
                    sluiceAfter.cpuSeconds() - sluiceBefore.cpuSeconds(),
                    after.broker().cpuSince(before.broker()),
                    after.mariadb().cpuSince(before.mariadb()),
                    counts,
                    (System.nanoTime() - load.dueNs(0)) / 1e9);
            log.info("{}: {}", rate.label(), r.summary());
            if (!complete) {
                log.warn(
                        "{}: {} of {} rows never reached the consumer within 60 s of the last commit",
                        rate.label(),
                        r.missing(),
                        schedule.rows());
            }
            return r;
        }
    }

    private static LatencyResult.PipelineCounts counts(PipelineMetrics metrics)
            throws IOException, InterruptedException {
        PipelineMetrics.Scrape now = metrics.scrape();
        return new LatencyResult.PipelineCounts((long) now.value(KAFKA_COMMITS), (long) now.value(RECONNECTS));
    }

    /** The histograms of the rows due after the warm-up; every row, warm-up included, must have arrived once. */
    private LatencyResult.RateResult measure(
            Rate rate,
            OpenLoopLoad load,
            ArrivalRecorder arrivals,
            double sluiceCpu,
            double brokerCpu,
            double mariadbCpu,
            LatencyResult.PipelineCounts counts,
            double seconds) {
        OpenLoopLoad.Schedule s = load.schedule();
        Histogram commitToConsumer = new Histogram(HIGHEST_MICROS, 3);
        Histogram dueToConsumer = new Histogram(HIGHEST_MICROS, 3);
        Histogram dueToCommit = new Histogram(HIGHEST_MICROS, 3);
        Histogram commitToSent = new Histogram(HIGHEST_MICROS, 3);
        Histogram sentToConsumer = new Histogram(HIGHEST_MICROS, 3);
        // nanoTime -> wall clock, to compare with the record timestamps; both read here, ±1 ms (the timestamp's unit)
        long epochMinusNanoTime = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
        long windowStart = load.dueNs(0) + Math.round(options.warmupSeconds() * 1e9);
        long firstDue = Long.MAX_VALUE;
        long lastCommit = Long.MIN_VALUE;
        long negative = 0;
        long rows = 0;
        for (int t = 0; t < s.transactions(); t++) {
            if (load.dueNs(t) < windowStart) {
                continue;
            }
            firstDue = Math.min(firstDue, load.dueNs(t));
            lastCommit = Math.max(lastCommit, load.committedNs(t));
            dueToCommit.recordValue(micros(load.committedNs(t) - load.dueNs(t)));
            rows += s.rowsPerTransaction();
            for (int j = 0; j < s.rowsPerTransaction(); j++) {
                int row = t * s.rowsPerTransaction() + j;
                long arrival = arrivals.arrivalNs(row);
                if (arrival == 0) {
                    continue;
                }
                long sinceCommit = arrival - load.committedNs(t);
                negative += sinceCommit < 0 ? 1 : 0;
                commitToConsumer.recordValue(micros(Math.max(0, sinceCommit)));
                dueToConsumer.recordValue(micros(arrival - load.dueNs(t)));
                long sentNs = arrivals.sentEpochMs(row) * 1_000_000 - epochMinusNanoTime;
                commitToSent.recordValue(micros(sentNs - load.committedNs(t)));
                sentToConsumer.recordValue(micros(arrival - sentNs));
            }
        }
        double window = (lastCommit - firstDue) / 1e9;
        return new LatencyResult.RateResult(
                rate,
                s,
                options.writerThreads(),
                rows,
                window,
                new LatencyResult.Histograms(
                        commitToConsumer, dueToConsumer, dueToCommit, commitToSent, sentToConsumer),
                s.rows() - arrivals.arrived(),
                arrivals.duplicates(),
                arrivals.foreign(),
                negative,
                sluiceCpu,
                brokerCpu,
                mariadbCpu,
                counts,
                seconds);
    }

    private static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000));
    }
}
