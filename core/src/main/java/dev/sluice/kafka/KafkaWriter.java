package dev.sluice.kafka;

import dev.sluice.config.SluiceConfig;
import dev.sluice.failure.CrashPoints;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.position.BinlogPosition;
import dev.sluice.position.Checkpoint;
import dev.sluice.position.Flavor;
import dev.sluice.position.PositionJson;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional Kafka producer. Row events are sent as they are decoded; {@link #commit} writes the position
 * they lead to into the position topic <em>in the same Kafka transaction</em> and commits, so the events and the
 * position become visible together or not at all: that is the exactly-once guarantee (docs/exactly-once.md).
 * {@code initTransactions()} on open fences any older producer with the same transactional id (a zombie instance)
 * and aborts whatever transaction it left open.
 *
 * <p>Not thread-safe: owned by the pipeline thread; the producer's callbacks only record the first failure.
 */
public final class KafkaWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaWriter.class);
    /** Concurrent metadata lookups in {@link #learnTopics}: each round trip then covers up to this many topics. */
    private static final int METADATA_LOOKUPS = 64;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String pipelineName;
    private final String positionTopic;
    private final Flavor flavor;
    private final long sourceServerId;
    private volatile SendFailure firstFailure;
    private boolean inTransaction;

    private KafkaWriter(
            KafkaProducer<byte[], byte[]> producer,
            String pipelineName,
            String positionTopic,
            Flavor flavor,
            long sourceServerId) {
        this.producer = producer;
        this.pipelineName = pipelineName;
        this.positionTopic = positionTopic;
        this.flavor = flavor;
        this.sourceServerId = sourceServerId;
    }

    public static KafkaWriter open(
            SluiceConfig.Kafka kafka, String pipelineName, TopicNames names, Flavor flavor, long sourceServerId) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(kafka, pipelineName));
        try {
            producer.initTransactions();
        } catch (org.apache.kafka.common.errors.AuthorizationException
                | org.apache.kafka.common.errors.AuthenticationException e) {
            producer.close();
            throw new SluiceException(
                    ExitCode.UNREACHABLE,
                    "Kafka at " + kafka.bootstrapServers() + " refused "
                            + "transactional.id '" + pipelineName + "': " + e.getMessage()
                            + ". Grant WRITE and DESCRIBE on "
                            + "this transactional id and the topics (see kafka.properties for the credentials).",
                    e);
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
        log.info(
                "Kafka producer ready: transactional.id={} (any older instance with this id is now fenced)",
                pipelineName);
        return new KafkaWriter(producer, pipelineName, names.positions(), flavor, sourceServerId);
    }

    static Properties producerProperties(SluiceConfig.Kafka kafka, String pipelineName) {
        Properties props = new Properties();
        // Throughput defaults the user may override in kafka.properties.
        props.put("linger.ms", "5");
        props.put("batch.size", "262144");
        props.put("transaction.timeout.ms", "300000");
        props.put("max.block.ms", "60000");
        props.put("delivery.timeout.ms", "120000");
        props.putAll(KafkaClients.base(kafka));
        // Exactly-once depends on these; SluiceConfig refuses them in kafka.properties.
        props.put("transactional.id", pipelineName);
        props.put("enable.idempotence", "true");
        props.put("acks", "all");
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        return props;
    }

    /**
     * Fetches the producer's metadata of these topics before the first record goes to them, many at once. On its own
     * the producer learns of a topic when {@code send} first names it, and blocks the pipeline thread for a metadata
     * round trip per new topic, after every restart: seconds before a pipeline of a hundred tables streams.
     * Concurrent lookups share the producer's next metadata request.
     * A lookup that fails is left to the first send, which reports it with the row it was for.
     */
    public void learnTopics(Collection<String> topics) throws InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        ExecutorService lookups = Executors.newFixedThreadPool(Math.min(topics.size(), METADATA_LOOKUPS), r -> {
            Thread t = new Thread(r, "sluice-topic-metadata");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Callable<Object>> each = topics.stream()
                    .<Callable<Object>>map(t -> () -> producer.partitionsFor(t))
                    .toList();
            for (Future<Object> lookup : lookups.invokeAll(each)) {
                try {
                    lookup.get();
                } catch (ExecutionException e) {
                    log.debug(
                            "Topic metadata lookup failed ({}); the first send will report it",
                            e.getCause().toString());
                }
            }
        } finally {
            lookups.shutdownNow();
        }
    }

    /**
     * Sends one record inside the current Kafka transaction, beginning one if needed. {@code gtid} and
     * {@code eventIndex} name the row change in error messages; a snapshot row has no GTID ({@code null}) and
     * its {@code eventIndex} is its row within its chunk.
     */
    public void send(String topic, byte[] key, byte[] value, String table, String gtid, long eventIndex) {
        try {
            beginIfNeeded();
            producer.send(new ProducerRecord<>(topic, key, value), new FailureRecorder(table, key, gtid, eventIndex));
        } catch (KafkaException e) {
            throw translate(e);
        }
        CrashPoints.reached(CrashPoints.MID_TRANSACTION);
    }

    private void beginIfNeeded() {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
    }

    /** Writes {@code position} and commits everything sent since the last commit, atomically. */
    public void commit(BinlogPosition position, long nowMs) {
        commit(Checkpoint.of(position), nowMs);
    }

    /** Writes the checkpoint (position and table-copy progress) and commits everything sent since the last commit. */
    public void commit(Checkpoint checkpoint, long nowMs) {
        byte[] value = PositionJson.write(checkpoint, flavor, sourceServerId, nowMs);
        try {
            beginIfNeeded();
            FailureRecorder recorder = new FailureRecorder("(position)", null, null, -1);
            producer.send(
                    new ProducerRecord<>(positionTopic, pipelineName.getBytes(StandardCharsets.UTF_8), value),
                    (metadata, e) -> {
                        recorder.onCompletion(metadata, e);
                        CrashPoints.reached(CrashPoints.DURING_COMMIT); // on the producer's I/O thread
                    });
            CrashPoints.reached(CrashPoints.BEFORE_COMMIT);
            producer.commitTransaction();
            inTransaction = false;
            CrashPoints.reached(CrashPoints.AFTER_COMMIT);
        } catch (KafkaException e) {
            throw translate(e);
        }
        SendFailure failure = firstFailure;
        if (failure != null) {
            // A transactional producer never commits a transaction with a failed send; reaching here would be a bug.
            throw new IllegalStateException("Kafka committed a transaction after a failed send: " + failure.describe());
        }
    }

    /** Drops everything sent since the last commit; safe to call in any state. */
    public void abort() {
        KafkaException failure = tryAbort();
        if (failure != null) {
            log.warn(
                    "Could not abort the Kafka transaction ({}); the next instance's initTransactions will",
                    failure.toString());
        }
    }

    /** Like {@link #abort()}, but a producer that another instance fenced throws the fencing error (exit 7). */
    public void abortUnlessFenced() {
        KafkaException failure = tryAbort();
        if (failure != null && isFenced(failure)) {
            throw fenced(failure);
        }
        if (failure != null) {
            log.warn(
                    "Could not abort the Kafka transaction ({}); the next instance's initTransactions will",
                    failure.toString());
        }
    }

    /** Aborts the open transaction, if any; returns why Kafka refused, or null. */
    private KafkaException tryAbort() {
        if (!inTransaction) {
            return null;
        }
        inTransaction = false;
        try {
            producer.abortTransaction();
            return null;
        } catch (KafkaException e) {
            return e;
        }
    }

    public boolean inTransaction() {
        return inTransaction;
    }

    /**
     * The one decision for Kafka failures: fenced and unpublishable records are fatal, the rest retriable.
     *
     * <p>An old producer epoch has two causes that look alike: a newer instance called initTransactions (this one is
     * a zombie and must stop), or the broker aborted this instance's own transaction because it outlived
     * transaction.timeout.ms (a long pause, a cut link: the instance should replay from its committed position).
     * Aborting tells them apart: the coordinator lets the producer bump its epoch and go on after a timeout, and
     * answers PRODUCER_FENCED when another instance holds the transactional.id.
     */
    private RuntimeException translate(KafkaException e) {
        if (isFenced(e)) {
            return fenced(e);
        }
        if (hasCause(e, InvalidProducerEpochException.class)) {
            RuntimeException unproven = abortAfterTimedOutTransaction(e);
            if (unproven != null) {
                return unproven;
            }
        }
        SendFailure failure = firstFailure;
        if (failure != null && failure.cause() instanceof RecordTooLargeException) {
            return new SluiceException(
                    ExitCode.DATA,
                    "Cannot publish the row change of table " + failure.table()
                            + " with key " + failure.keyText() + " at " + failure.origin() + ": "
                            + failure.cause().getMessage()
                            + " Raise max.request.size (kafka.properties) and the topic's max.message.bytes, then restart; "
                            + "Sluice stopped before this transaction.",
                    e);
        }
        if (hasCause(e, InvalidProducerEpochException.class)) {
            return new KafkaWriteException(
                    "Kafka aborted this instance's open transaction: it was open longer than "
                            + "transaction.timeout.ms (a pause or a cut link)",
                    e);
        }
        return new KafkaWriteException(
                "Kafka transaction failed: " + (failure != null ? failure.describe() : e.getMessage()), e);
    }

    /**
     * Null when the broker accepted the abort (our own transaction had timed out: replay). Otherwise the reason to
     * stop: fenced, or not provably not fenced — a stop is safe (a supervisor's restart resumes), while
     * re-initializing could take the transactional.id back from a newer, healthy instance.
     */
    private RuntimeException abortAfterTimedOutTransaction(KafkaException oldEpoch) {
        try {
            producer.abortTransaction();
            inTransaction = false;
            return null;
        } catch (ProducerFencedException fenced) {
            return fenced(fenced);
        } catch (KafkaException other) {
            return new SluiceException(
                    ExitCode.FENCED,
                    "Kafka rejected this instance's producer epoch and the abort "
                            + "that would tell why failed too (" + other.getMessage()
                            + "): either another instance with "
                            + "pipeline.name '" + pipelineName
                            + "' took over, or this instance's transaction timed out while "
                            + "Kafka was unreachable. Stopping at the last commit; restart it if no other instance runs.",
                    oldEpoch);
        }
    }

    private SluiceException fenced(KafkaException e) {
        return new SluiceException(
                ExitCode.FENCED,
                "Another Sluice instance with pipeline.name '" + pipelineName
                        + "' started and took over (Kafka fenced this one). Stopping; nothing after the last commit "
                        + "was published by this instance.",
                e);
    }

    static boolean isFenced(Throwable e) {
        return hasCause(e, ProducerFencedException.class);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        abort();
        producer.close(java.time.Duration.ofSeconds(10));
    }

    /** Remembers the first failed send with enough context to name the row in an error message. */
    private final class FailureRecorder implements Callback {
        private final String table;
        private final byte[] key;
        private final String gtid;
        private final long eventIndex;

        FailureRecorder(String table, byte[] key, String gtid, long eventIndex) {
            this.table = table;
            this.key = key;
            this.gtid = gtid;
            this.eventIndex = eventIndex;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null && firstFailure == null) {
                firstFailure = new SendFailure(table, key, gtid, eventIndex, exception);
            }
        }
    }

    private record SendFailure(String table, byte[] key, String gtid, long eventIndex, Exception cause) {
        String keyText() {
            if (key == null) {
                return "(none)";
            }
            String text = new String(key, StandardCharsets.UTF_8);
            return text.length() > 200 ? text.substring(0, 200) + "..." : text;
        }

        /** The source transaction and event the record came from, or the table copy. */
        String origin() {
            return gtid == null
                    ? "the snapshot of " + table + " (row " + eventIndex + " of its chunk)"
                    : "GTID " + gtid + " (event " + eventIndex + ")";
        }

        String describe() {
            return "table " + table + " key " + keyText() + " " + origin() + ": " + cause;
        }
    }

    /** A Kafka failure the pipeline recovers from by reconnecting and resuming from the committed position. */
    public static final class KafkaWriteException extends RuntimeException {
        KafkaWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
