package dev.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3-compatible server (s3proxy with jclouds' filesystem backend) as a child JVM on loopback, for the tests and
 * the demo of the Parquet/lake targets. It speaks the S3 REST API with AWS Signature V2/V4 checks, so a client with
 * the wrong secret is refused; objects live as files under {@code dir/data}.
 *
 * <p>s3proxy brings ~130 jars (jclouds, Jetty, Guava, cloud SDKs): they are never on a Sluice class path. The module
 * {@code embedded-s3} lists them in {@code embedded-s3/target/classpath.txt} ({@link #classpathIn}) and only this
 * child JVM runs with them.
 *
 * <p>Clients must use path-style addressing ({@code http://127.0.0.1:port/bucket/key}): there is no DNS for
 * virtual-host buckets on loopback.
 */
public final class S3Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3Server.class);
    /** The rules S3 itself applies to a bucket name (lower case, 3-63 characters, no dots: path style only). */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    /** The region clients sign for; s3proxy accepts any, but SigV4 needs one. */
    public static final String REGION = "us-east-1";

    private final Path dir;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private final ChildProcess process;

    private S3Server(Path dir, int port, String accessKey, String secretKey, ChildProcess process) {
        this.dir = dir;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.process = process;
    }

    /** The s3proxy class path that the build of {@code embedded-s3} wrote under the checkout's root. */
    public static String classpathIn(Path checkoutRoot) {
        Path file = checkoutRoot.resolve("embedded-s3/target/classpath.txt").toAbsolutePath();
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "No s3proxy class path at " + file + ": build the module first (mvn -pl embedded-s3 "
                            + "generate-resources, or any build of the whole project)",
                    e);
        }
    }

    /**
     * Starts a server with fresh random credentials on {@code port}, its objects under {@code dir/data}, and returns
     * once it answers HTTP. {@code classpath} is s3proxy's own ({@link #classpathIn}).
     */
    public static S3Server start(Path dir, int port, String classpath) {
        Path abs = dir.toAbsolutePath();
        if (!Ports.isFree(port)) {
            throw new IllegalStateException("Port " + port + " for the S3 server in " + abs + " is in use");
        }
        String accessKey = "sluice-" + randomHex(4);
        String secretKey = randomHex(20);
        Path properties = writeConfig(abs, port, accessKey, secretKey);
        long started = System.nanoTime();
        ChildProcess process = ChildProcess.start(
                List.of(
                        Classpath.javaExecutable().toString(),
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        // s3proxy's logback defaults to DEBUG, which alone doubles its start time.
                        "-Dlogback.configurationFile=" + abs.resolve("logback-s3proxy.xml"),
                        "-cp",
                        classpath,
                        "org.gaul.s3proxy.Main",
                        "--properties",
                        properties.toString()),
                abs.resolve("s3proxy.out"),
                "s3proxy");
        S3Server server = new S3Server(abs, port, accessKey, secretKey, process);
        server.awaitReady();
        log.info(
                "S3 server (s3proxy) ready at {} in {} ms (objects in {})",
                server.endpoint(),
                (System.nanoTime() - started) / 1_000_000,
                abs.resolve("data"));
        return server;
    }

    /**
     * Creates an empty bucket and returns its name. The filesystem backend keeps each bucket as a directory of
     * {@code dir/data}, so making that directory is creating the bucket; it needs no S3 client in this module.
     */
    public String createBucket(String name) {
        if (!BUCKET_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "Bucket name '" + name + "': use 3-63 lower-case letters, digits and hyphens");
        }
        Path bucket = dir.resolve("data").resolve(name);
        try {
            if (Files.exists(bucket)) {
                throw new IllegalStateException("The bucket " + name + " already exists in " + dir);
            }
            Files.createDirectories(bucket);
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the bucket directory " + bucket, e);
        }
    }

    /** {@code http://127.0.0.1:port}: the endpoint override for an S3 client, with path-style access. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public String region() {
        return REGION;
    }

    public Path dataDirectory() {
        return dir.resolve("data");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public void stop() {
        process.stop();
    }

    @Override
    public void close() {
        stop();
    }

    private static Path writeConfig(Path dir, int port, String accessKey, String secretKey) {
        String properties = String.join(
                "\n",
                "s3proxy.endpoint=" + "http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                // The filesystem provider ignores its own jclouds credentials, but s3proxy requires them.
                "jclouds.provider=filesystem",
                "jclouds.identity=local",
                "jclouds.credential=local",
                "jclouds.filesystem.basedir=" + dir.resolve("data"),
                "");
        String logback = """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level %%logger{0} - %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(dir.resolve("s3proxy.log"));
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("logback-s3proxy.xml"), logback);
            return Files.writeString(dir.resolve("s3proxy.properties"), properties);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the s3proxy config in " + dir, e);
        }
    }

    /** Ready when Jetty answers any HTTP status (an anonymous request gets 403): the S3 handler is then in place. */
    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited during startup:\n"
                        + ChildProcess.tail(dir.resolve("s3proxy.out")) + "\n"
                        + ChildProcess.tail(dir.resolve("s3proxy.log")));
            }
            if (answersHttp()) {
                return;
            }
            ChildProcess.pause(100, "s3proxy");
        }
        process.kill();
        throw new IllegalStateException(
                "s3proxy did not answer within 90 s:\n" + ChildProcess.tail(dir.resolve("s3proxy.log")));
    }

    private boolean answersHttp() {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() > 0;
            } finally {
                c.disconnect();
            }
        } catch (IOException notYet) {
            return false; // not listening yet
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
