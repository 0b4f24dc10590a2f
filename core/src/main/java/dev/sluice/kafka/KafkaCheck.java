package dev.sluice.kafka;

import dev.sluice.config.SluiceConfig;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;

/**
 * The pre-flight of the Kafka side, in seconds rather than a client's thirty: each bootstrap address is first
 * reached with a plain TCP connection, so "connection refused", "unknown host" and "no answer" are told apart;
 * then an admin client asks the cluster who it is, which tells a Kafka listener from anything else on the port (a
 * TLS listener reached in plaintext, the wrong service). Read-only: it creates nothing and fences nothing.
 */
public final class KafkaCheck {
    private static final int CONNECT_TIMEOUT_MS = 3_000;
    private static final long ANSWER_TIMEOUT_S = 8;

    /** What the cluster said, and which of the pipeline's topics exist already. */
    public record Report(String clusterId, int brokers, List<String> existingTopics, List<String> missingTopics) {}

    private KafkaCheck() {}

    public static Report run(SluiceConfig.Kafka kafka, Collection<String> topics) {
        try {
            probe(kafka);
        } catch (IOException e) {
            throw new SluiceException(
                    ExitCode.UNREACHABLE, "Cannot reach Kafka (kafka.bootstrap-servers): " + e.getMessage() + ".");
        }
        return askCluster(kafka, topics);
    }

    /**
     * A TCP connection to the bootstrap addresses (the first that accepts is enough), failing with each cause in words: for a caller that retries
     * (an {@link IOException} is transient) and wants its log and final message to say why.
     */
    public static void probe(SluiceConfig.Kafka kafka) throws IOException {
        // One reachable bootstrap address is all a Kafka client needs: a broker that is down must not stop Sluice.
        List<String> causes = new ArrayList<>();
        IOException last = null;
        for (String address : kafka.bootstrapServers().split(",")) {
            try {
                reachable(address.trim());
                return;
            } catch (IOException e) {
                causes.add(e.getMessage());
                last = e;
            }
        }
        if (causes.size() == 1) {
            throw last;
        }
        throw new ConnectException("no bootstrap address answers: " + String.join("; ", causes));
    }

    /** The hint for a listener that accepted the connection but gave no Kafka answer in time. */
    public static String silentListenerHint() {
        return "no Kafka answer: is it the broker's port, and does the listener need TLS or SASL "
                + "(kafka.properties: security.protocol)?";
    }

    private static void reachable(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    "kafka.bootstrap-servers entry '" + address + "' has no port: write host:port, e.g. kafka-1:9092.");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        } catch (UnknownHostException e) {
            throw new UnknownHostException(address + ": unknown host '" + host + "' (DNS does not know it)");
        } catch (ConnectException e) {
            throw new ConnectException(address + ": connection refused, nothing listens on port " + port);
        } catch (SocketTimeoutException | NoRouteToHostException e) {
            throw new SocketTimeoutException(
                    address + ": no answer within " + CONNECT_TIMEOUT_MS / 1000 + " s (a firewall?)");
        }
    }

    private static Report askCluster(SluiceConfig.Kafka kafka, Collection<String> topics) {
        Properties props = KafkaClients.base(kafka);
        props.put("request.timeout.ms", String.valueOf(ANSWER_TIMEOUT_S * 1000));
        props.put("default.api.timeout.ms", String.valueOf(ANSWER_TIMEOUT_S * 1000));
        try (Admin admin = Admin.create(props)) {
            DescribeClusterResult cluster = admin.describeCluster();
            String id = cluster.clusterId().get(ANSWER_TIMEOUT_S, TimeUnit.SECONDS);
            int brokers =
                    cluster.nodes().get(ANSWER_TIMEOUT_S, TimeUnit.SECONDS).size();
            Set<String> existing = admin.listTopics().names().get(ANSWER_TIMEOUT_S, TimeUnit.SECONDS);
            List<String> present = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            topics.forEach(t -> (existing.contains(t) ? present : missing).add(t));
            return new Report(id, brokers, present, missing);
        } catch (TimeoutException e) {
            throw silentListener(kafka);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                // The client's own deadline came first: the same silent listener as above.
                throw silentListener(kafka);
            }
            throw new SluiceException(
                    ExitCode.UNREACHABLE,
                    "Kafka at " + kafka.bootstrapServers() + " refused the check: "
                            + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ExitCode.UNREACHABLE, "Interrupted while checking Kafka");
        }
    }

    private static SluiceException silentListener(SluiceConfig.Kafka kafka) {
        return new SluiceException(
                ExitCode.UNREACHABLE,
                "Kafka at " + kafka.bootstrapServers() + " accepts connections but did not answer as a Kafka broker "
                        + "within " + ANSWER_TIMEOUT_S + " s: " + silentListenerHint());
    }
}
