package dev.sluice.load.postgresql;

import static dev.sluice.config.ConfigKeys.*;
import static dev.sluice.testkit.Sql.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigKey;
import dev.sluice.embedded.Ports;
import dev.sluice.failure.ExitCode;
import dev.sluice.testkit.SluiceProcess;
import dev.sluice.testkit.TestPostgres;
import dev.sluice.testkit.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each mistake around a loader stops {@code sluice load} (its own JVM) within seconds, with its own exit code and a
 * message that names the cause and what to do, without a stack trace or a secret — and loses nothing: after the
 * fix, a restart loads everything.
 */
class LoadBadInputTest {
    /** The stops that need no retry budget come within this; the budgets below are a few seconds. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(60);

    private static TestPostgres target;

    private record Outcome(int exitCode, String output, Duration took) {}

    @BeforeAll
    static void targetWithHistory() throws Exception {
        target = TestPostgres.freshDatabase("loadbad");
        LoadedWorkload.recordHistory(target);
    }

    @AfterAll
    static void dropTarget() throws Exception {
        target.close();
    }

    @Test
    void unreachableTargetIsRetriedThenStopsNamingHostAndPort() throws Exception {
        try (LoadedWorkload w = LoadedWorkload.start(target, "lbunreach")) {
            Map<ConfigKey<?>, Object> s = w.loaderSettings("unreachable");
            int port = Ports.free();
            s.put(TARGET_URL, "jdbc:postgresql://127.0.0.1:" + port + "/warehouse?password=canary-in-url");
            s.put(TARGET_CONNECT_RETRY_SECONDS, 2);
            Outcome o = load(w, s);
            assertEquals(ExitCode.UNREACHABLE.code(), o.exitCode(), o.output());
            assertMentions(o, "127.0.0.1:" + port, "after ", "Check that it is running");
            assertFalse(o.output().contains("canary-in-url"), "the URL's parameters are never printed:\n" + o.output());
        }
    }

    @Test
    void refusedLoginStopsWithExit3AndNeverPrintsThePassword() throws Exception {
        try (LoadedWorkload w = LoadedWorkload.start(target, "lbauth")) {
            Map<ConfigKey<?>, Object> s = w.loaderSettings("auth");
            String user = TestServers.uniqueName("nobody").toLowerCase();
            String canary = "canary-" + TestServers.uniqueName("pw");
            s.put(TARGET_USER, user);
            s.put(TARGET_PASSWORD, canary);
            Outcome o = load(w, s);
            assertEquals(ExitCode.SOURCE_NOT_READY.code(), o.exitCode(), o.output());
            assertMentions(o, "refused user '" + user + "'", "target.user and target.password");
            assertFalse(o.output().contains(canary), "the password must never be printed:\n" + o.output());
        }
    }

    /**
     * A CHECK constraint added to a loaded table by hand: the loader stops at the first change it refuses, naming
     * the record and key and the target's words; with the constraint dropped, a restart loads everything.
     */
    @Test
    void aRowTheTargetRefusesStopsNamingItAndNothingIsLostAfterTheFix() throws Exception {
        try (LoadedWorkload w = LoadedWorkload.start(target, "lbrefuse")) {
            Path yaml = w.loaderYaml(w.loaderSettings("refuse"));
            w.startWriting();
            try (SluiceProcess loader = SluiceProcess.load(yaml)) {
                w.awaitTargetTable("w1");
                try (Connection c = target.connect()) {
                    // Most random payloads hold a 'z': the next batches of w1 break it.
                    exec(
                            c,
                            "ALTER TABLE \"" + w.db + "\".w1 ADD CONSTRAINT no_z CHECK (payload NOT LIKE '%z%') "
                                    + "NOT VALID");
                }
                Outcome o = outcome(loader, System.nanoTime());
                assertEquals(ExitCode.DATA.code(), o.exitCode(), o.output());
                assertMentions(
                        o,
                        "the change of " + w.db + ".w1 with key (id=",
                        " at t_" + w.db + "." + w.db + ".w1[0]@",
                        "violates check constraint \"no_z\"",
                        "start the loader again");
            }
            try (Connection c = target.connect()) {
                exec(c, "ALTER TABLE \"" + w.db + "\".w1 DROP CONSTRAINT no_z");
            }
            try (SluiceProcess restarted = SluiceProcess.load(yaml)) {
                w.stopWriting();
                w.awaitFenceInEveryTable();
                assertTrue(restarted.isAlive(), restarted.output());
            }
            w.assertTargetEqualsSource();
            w.assertNoVersionWentBack();
        }
    }

    @Test
    void aRecordThatIsNotAChangeEventStopsNamingIt() throws Exception {
        try (LoadedWorkload w = LoadedWorkload.start(target, "lbjunk")) {
            String topic = "t_" + w.db + "." + w.db + ".junk";
            produceToNewTopic(topic, "this is not an envelope");
            Outcome o = load(w, w.loaderSettings("junk"));
            assertEquals(ExitCode.DATA.code(), o.exitCode(), o.output());
            assertMentions(o, "Cannot decode the record at topic " + topic + " partition 0 offset 0", "filter.exclude");
        }
    }

    @Test
    void missingSchemaTopicStopsNamingItAndThePrefix() throws Exception {
        try (LoadedWorkload w = LoadedWorkload.start(target, "lbnoschema")) {
            Map<ConfigKey<?>, Object> s = w.loaderSettings("noschema");
            String prefix = "t_" + TestServers.uniqueName("never");
            s.put(KAFKA_TOPIC_PREFIX, prefix);
            Outcome o = load(w, s);
            assertEquals(ExitCode.CONFIG.code(), o.exitCode(), o.output());
            assertMentions(o, "has no topic " + prefix + "._schemas", "kafka.topic-prefix", "start the pipeline");
        }
    }

    /** Runs {@code sluice load} until it stops by itself. */
    private static Outcome load(LoadedWorkload w, Map<ConfigKey<?>, Object> settings) throws Exception {
        long started = System.nanoTime();
        try (SluiceProcess p = SluiceProcess.load(w.loaderYaml(settings))) {
            return outcome(p, started);
        }
    }

    private static Outcome outcome(SluiceProcess p, long startedNanos) throws InterruptedException {
        int code = p.awaitExit(EXIT_WITHIN);
        Outcome o = new Outcome(code, p.output(), Duration.ofNanos(System.nanoTime() - startedNanos));
        System.out.println("sluice load exited " + code + " after " + o.took().toMillis() + " ms");
        return o;
    }

    /** Each part in the output, and the output free of stack traces. */
    private static void assertMentions(Outcome o, String... parts) {
        for (String part : parts) {
            assertTrue(o.output().contains(part), "expected '" + part + "' in:\n" + o.output());
        }
        assertFalse(o.output().contains("\tat "), "no stack trace in the output:\n" + o.output());
        assertTrue(
                o.took().compareTo(Duration.ofSeconds(30)) < 0,
                "stopped within 30 s (took " + o.took().toSeconds() + " s)");
    }

    private static void produceToNewTopic(String topic, String value) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", TestServers.kafka().bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
    }
}
