package dev.sluice.testkit;

import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.MariaDbBinaries;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import dev.sluice.embedded.S3Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The servers the whole test suite shares, started lazily once per test JVM and stopped when it exits: the
 * embedded MariaDB 11.4, Debian's MariaDB 10.11 when installed, one Kafka broker and one S3 server. Each runs in a fresh
 * directory under target/test-servers so a killed earlier run never collides. The MariaDB servers run in an
 * unusual time zone (+12:45, Chatham Islands' standard offset) so nothing can pass by assuming UTC.
 */
public final class TestServers {
    public static final String SERVER_TIME_ZONE = "+12:45";
    private static final Path ROOT = Path.of("target", "test-servers", "run-" + shortId());
    /** Shared by every module's tests: the checkout's target/, where the build runs them (see the parent pom). */
    private static final Path BINARIES = Path.of(System.getProperty("sluice.root", "."), "target", "mariadb-binaries");

    private static MariaDbServer mariadb114;
    private static Optional<MariaDbServer> mariadb1011;
    private static KafkaBroker kafka;
    private static S3Server s3;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestServers::stopAll, "test-servers-stop"));
    }

    private TestServers() {}

    public static synchronized MariaDbServer mariadb114() {
        if (mariadb114 == null) {
            mariadb114 = MariaDbServer.start(
                    MariaDbBinaries.embedded(BINARIES),
                    ROOT.resolve("mariadb-11.4"),
                    Ports.free(),
                    MariaDbServer.Options.defaults().withTimeZone(SERVER_TIME_ZONE));
        }
        return mariadb114;
    }

    /** Debian's MariaDB, when the package is installed (CI installs it; see .ci/run). */
    public static synchronized Optional<MariaDbServer> mariadb1011() {
        if (mariadb1011 == null) {
            mariadb1011 = MariaDbBinaries.system()
                    .map(bin -> MariaDbServer.start(
                            bin,
                            ROOT.resolve("mariadb-10.11"),
                            Ports.free(),
                            MariaDbServer.Options.defaults().withTimeZone(SERVER_TIME_ZONE)));
        }
        return mariadb1011;
    }

    /** Every MariaDB version available here, for tests that run against each. */
    public static List<MariaDbServer> allMariaDb() {
        List<MariaDbServer> servers = new ArrayList<>();
        servers.add(mariadb114());
        mariadb1011().ifPresent(servers::add);
        return servers;
    }

    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            kafka = KafkaBroker.start(ROOT.resolve("kafka"), Ports.free(), Ports.free(), 256);
        }
        return kafka;
    }

    /**
     * The S3-compatible server (s3proxy, its own JVM and class path): give each test a bucket of its own with
     * {@code s3().createBucket(uniqueBucket("prefix"))}.
     */
    public static synchronized S3Server s3() {
        if (s3 == null) {
            s3 = S3Server.start(
                    ROOT.resolve("s3"),
                    Ports.free(),
                    S3Server.classpathIn(Path.of(System.getProperty("sluice.root", "."))));
        }
        return s3;
    }

    /** A unique bucket name (S3 allows lower case, digits and hyphens; no underscores). */
    public static String uniqueBucket(String prefix) {
        return uniqueName(prefix).replace('_', '-');
    }

    /**
     * A server of the test's own, for tests that reconfigure or purge it (never do that to the shared ones):
     * Debian's binaries when installed (they start in ≈ 0.2 s), else the embedded ones. The caller stops it.
     */
    public static MariaDbServer throwawayMariaDb(String name, MariaDbServer.Options options) {
        MariaDbBinaries binaries = MariaDbBinaries.system().orElseGet(() -> MariaDbBinaries.embedded(BINARIES));
        return MariaDbServer.start(binaries, directory(name), Ports.free(), options.withTimeZone(SERVER_TIME_ZONE));
    }

    /** A fresh directory under this run's root, for tests that start their own servers. */
    public static Path directory(String name) {
        return ROOT.resolve(name + "-" + shortId()).toAbsolutePath();
    }

    /** A unique, lower-case identifier usable as a database name. */
    public static String uniqueName(String prefix) {
        return (prefix + "_" + shortId()).toLowerCase(Locale.ROOT);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static synchronized void stopAll() {
        if (kafka != null) {
            kafka.stop();
        }
        if (s3 != null) {
            s3.stop();
        }
        if (mariadb114 != null) {
            mariadb114.stop();
        }
        if (mariadb1011 != null) {
            mariadb1011.ifPresent(MariaDbServer::stop);
        }
    }
}
