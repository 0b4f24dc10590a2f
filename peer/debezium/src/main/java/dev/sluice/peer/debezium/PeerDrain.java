package dev.sluice.peer.debezium;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.JsonByteArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's Debezium peer, run as its own JVM by {@code sluice bench peer}: Debezium's embedded engine with
 * the MariaDB connector, its JSON change events published to Kafka by a {@link KafkaPublisher} (a KafkaProducer with
 * acks=all and idempotence, modelled on Debezium Server's Kafka sink). It runs until it is stopped (SIGTERM); the
 * harness decides when the backlog is drained by watching the table topic's end offset, as for Sluice.
 *
 * <pre>
 * java -cp sluice-peer-debezium.jar:$(cat classpath.txt) dev.sluice.peer.debezium.PeerDrain \
 *     engine.properties producer.properties TABLE_TOPIC_PREFIX EXPECTED_RECORDS
 * </pre>
 *
 * It prints {@code PEER-DRAINED <epoch ms> <records>} when the producer has had {@code EXPECTED_RECORDS} records of
 * the topics named {@code TABLE_TOPIC_PREFIX...} (the table topics, e.g. {@code dbz-w6-r2.}) acknowledged, and
 * {@code PEER-STOPPED <summary>} when the engine has shut down.
 */
public final class PeerDrain {
    private static final Logger log = LoggerFactory.getLogger(PeerDrain.class);

    private PeerDrain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: PeerDrain engine.properties producer.properties TABLE_TOPIC_PREFIX EXPECTED_RECORDS");
            System.exit(2);
        }
        Properties engineConfig = load(Path.of(args[0]));
        Properties producerConfig = load(Path.of(args[1]));
        String tableTopicPrefix = args[2];
        long expected = Long.parseLong(args[3]);
        run(engineConfig, producerConfig, tableTopicPrefix, expected);
    }

    private static void run(Properties engineConfig, Properties producerConfig, String tableTopicPrefix, long expected)
            throws Exception {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig);
        KafkaPublisher publisher = new KafkaPublisher(producer, producerConfig, tableTopicPrefix, expected);
        CountDownLatch stopped = new CountDownLatch(1);
        DebeziumEngine<ChangeEvent<byte[], byte[]>> engine = DebeziumEngine.create(JsonByteArray.class)
                .using(engineConfig)
                .notifying(publisher)
                .using((success, message, error) -> {
                    if (!success) {
                        log.error("Debezium engine stopped with an error: {}", message, error);
                    }
                    stopped.countDown();
                })
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium-engine"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(engine, stopped, producer, publisher),
                "peer-shutdown"));
        log.info("Starting Debezium's embedded engine; waiting for {} records of the topics {}*", expected,
                tableTopicPrefix);
        executor.execute(engine);
        stopped.await();
        executor.shutdown();
    }

    private static void shutdown(DebeziumEngine<?> engine, CountDownLatch stopped, KafkaProducer<?, ?> producer,
                                 KafkaPublisher publisher) {
        try {
            engine.close();
            stopped.await(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            log.warn("Engine close failed: {}", e.toString());
        }
        producer.close();
        System.out.println("PEER-STOPPED " + publisher.summary());
        System.out.flush();
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return p;
    }
}
