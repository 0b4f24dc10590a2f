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
        for (String address : kafka.bootstrapServers().split(",")) {
            reachable(address.trim(), kafka);
        }
        return askCluster(kafka, topics);
    }

    private static void reachable(String address, SluiceConfig.Kafka kafka) {
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
            throw unreachable(address, "unknown host '" + host + "' (DNS does not know it)");
        } catch (ConnectException e) {
            throw unreachable(address, "connection refused: nothing listens on port " + port);
        } catch (SocketTimeoutException | NoRouteToHostException e) {
            throw unreachable(address, "no answer within " + CONNECT_TIMEOUT_MS / 1000 + " s (a firewall?)");
        } catch (IOException e) {
            throw unreachable(address, e.getMessage());
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
            throw new SluiceException(
                    ExitCode.UNREACHABLE,
                    "Kafka at " + kafka.bootstrapServers() + " accepts connections but did not answer as a Kafka "
                            + "broker within " + ANSWER_TIMEOUT_S + " s: is it the broker's port, and does the "
                            + "listener need TLS or SASL (kafka.properties: security.protocol)?");
        } catch (ExecutionException e) {
            throw new SluiceException(
                    ExitCode.UNREACHABLE,
                    "Kafka at " + kafka.bootstrapServers() + " refused the check: "
                            + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ExitCode.UNREACHABLE, "Interrupted while checking Kafka");
        }
    }

    private static SluiceException unreachable(String address, String why) {
        return new SluiceException(
                ExitCode.UNREACHABLE, "Cannot reach Kafka at " + address + " (kafka.bootstrap-servers): " + why + ".");
    }
}
