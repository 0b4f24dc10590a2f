package dev.sluice.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.config.SluiceConfig;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint (the JDK's built-in server; two threads): {@code GET /} (the status page, one
 * self-contained HTML file that reads {@code /status.json}), {@code GET /status.json} (the process's
 * {@link AdminPages#status}, its health, the charts' history and the last warnings), {@code GET /health} (200 or 503
 * with the reason, decided by the process's {@link AdminPages}), {@code GET /health/live} (200 while the process
 * runs) and {@code GET /metrics} (Prometheus text format 0.0.4). Read-only: anything but GET and HEAD is refused. It
 * shows counters, times and positions, never configuration values, so no secret can leak through it. Loopback by
 * default (admin.bind-address); on any other address admin.token is required and every request must carry it, as a
 * bearer token or as the password of HTTP basic authentication (which a browser asks for).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The charts show the last ten minutes, one point every five seconds. */
    static final int SAMPLE_SECONDS = 5;

    private static final int SAMPLES_KEPT = 120;

    private final HttpServer server;
    private final ExecutorService threads;
    private final AdminPages pages;
    private final byte[] expectedAuthorization;
    private final byte[] expectedToken;
    private final StatusHistory history = new StatusHistory(SAMPLES_KEPT);
    private final ScheduledExecutorService sampler;
    private final byte[] statusPage;

    private AdminServer(HttpServer server, SluiceConfig.Admin admin, AdminPages pages) {
        this.server = server;
        this.pages = pages;
        this.expectedAuthorization =
                admin.requiresToken() ? ("Bearer " + admin.token().reveal()).getBytes(StandardCharsets.UTF_8) : null;
        this.expectedToken = admin.requiresToken() ? admin.token().reveal().getBytes(StandardCharsets.UTF_8) : null;
        this.statusPage = StatusPage.html();
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-admin-sampler");
            t.setDaemon(true);
            return t;
        });
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sluice-admin");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Binds admin.bind-address:admin.port and serves {@code pages}; a taken port is a configuration error (exit 2).
     * Closing the server closes the pages.
     */
    public static AdminServer start(SluiceConfig.Admin admin, AdminPages pages) {
        requireTokenOffLoopback(admin);
        AdminServer server = new AdminServer(bind(admin), admin, pages);
        server.server.createContext("/", server::handle);
        server.server.setExecutor(server.threads);
        server.server.start();
        server.sampler.scheduleAtFixedRate(server::sample, 0, SAMPLE_SECONDS, TimeUnit.SECONDS);
        log.info("Admin endpoint on {} (/health, /metrics; status page at /)", server.url());
        return server;
    }

    /** The address actually bound (admin.port 0 picks a free port). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** e.g. {@code http://127.0.0.1:9779} */
    public String url() {
        String host = address().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + address().getPort();
    }

    /** Counters and positions are not secret, but an open port on a shared network should not answer anyone. */
    private static void requireTokenOffLoopback(SluiceConfig.Admin admin) {
        if (admin.requiresToken()) {
            return;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(admin.bindAddress());
        } catch (UnknownHostException e) {
            return; // bind() names the bad address
        }
        if (!address.isLoopbackAddress()) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    "admin.bind-address is " + admin.bindAddress() + ", which "
                            + "is reachable from other hosts, but admin.token is not set. Set admin.token (e.g. "
                            + "admin.token: ${SLUICE_ADMIN_TOKEN}) or bind the admin endpoint to 127.0.0.1.");
        }
    }

    private static HttpServer bind(SluiceConfig.Admin admin) {
        InetAddress address;
        try {
            address = InetAddress.getByName(admin.bindAddress());
        } catch (UnknownHostException e) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    "admin.bind-address '" + admin.bindAddress() + "' is not an address of this host: "
                            + e.getMessage());
        }
        try {
            return HttpServer.create(new InetSocketAddress(address, admin.port()), 16);
        } catch (BindException e) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    "Cannot start the admin endpoint on " + admin.bindAddress()
                            + ":" + admin.port() + " (admin.bind-address, admin.port): " + e.getMessage() + ". Another "
                            + "process (another Sluice?) may use port " + admin.port()
                            + ": set admin.port to a free port, "
                            + "0 to pick one, or -1 to turn the endpoint off.");
        } catch (IOException e) {
            throw new SluiceException(
                    ExitCode.CONFIG,
                    "Cannot start the admin endpoint on " + admin.bindAddress() + ":" + admin.port()
                            + " (admin.bind-address, admin.port): " + e.getMessage());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!authorized(exchange)) {
                // Basic first: a browser shows its password dialog for it (any user name, the token as password).
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"sluice\", charset=\"UTF-8\"");
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"sluice\"");
                send(
                        exchange,
                        401,
                        "text/plain; charset=utf-8",
                        "admin.token required: Authorization: Bearer <token>, or basic authentication with the "
                                + "token as password\n");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "read-only: GET or HEAD\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/", "/index.html" -> send(exchange, 200, "text/html; charset=utf-8", statusPage);
                case "/status.json" -> status(exchange);
                case "/health" -> health(exchange);
                case "/health/live" -> send(exchange, 200, "application/json", "{\"status\":\"live\"}\n");
                case "/metrics" -> metrics(exchange);
                default ->
                    send(
                            exchange,
                            404,
                            "text/plain; charset=utf-8",
                            "not found: try /, /status.json, /health or /metrics\n");
            }
        } catch (RuntimeException e) {
            // The JDK server would drop the exchange without a word: say which request failed.
            log.warn("Admin request {} failed: {}", exchange.getRequestURI().getPath(), e.toString());
            throw e;
        }
    }

    private boolean authorized(HttpExchange exchange) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        if (given == null) {
            return false;
        }
        // Constant-time comparisons: response timing must not reveal how much of a guess was right.
        if (given.regionMatches(true, 0, "Basic ", 0, 6)) {
            return MessageDigest.isEqual(
                    expectedToken, basicPassword(given.substring(6).trim()));
        }
        return MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8));
    }

    /** The password of {@code Basic base64(user:password)}; empty when malformed. */
    private static byte[] basicPassword(String credentials) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? new byte[0] : decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** Every {@link #SAMPLE_SECONDS}: one point for each chart. A failing read loses a point, never the sampler. */
    private void sample() {
        try {
            history.record(System.currentTimeMillis(), pages.readings());
        } catch (RuntimeException e) {
            log.debug("Status sample failed: {}", e.toString());
        }
    }

    private void status(HttpExchange exchange) throws IOException {
        AdminPages.Health health = pages.health();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("time", System.currentTimeMillis());
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("status", health.healthy() ? "ok" : "unhealthy");
        verdict.put("reason", health.reason());
        body.put("health", verdict);
        body.putAll(pages.status());
        Map<String, Object> charts = new LinkedHashMap<>();
        charts.put("interval_seconds", SAMPLE_SECONDS);
        charts.putAll(history.toJson());
        body.put("history", charts);
        body.put("problems", RecentProblems.newestFirst());
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
    }

    private void health(HttpExchange exchange) throws IOException {
        AdminPages.Health health = pages.health();
        ObjectNode body = JSON.createObjectNode();
        body.put("status", health.healthy() ? "ok" : "unhealthy");
        body.put("reason", health.reason());
        health.details().forEach(body::putPOJO);
        send(exchange, health.healthy() ? 200 : 503, "application/json", JSON.writeValueAsString(body) + "\n");
    }

    private void metrics(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        pages.writeMetrics(out);
        send(exchange, 200, pages.metricsContentType(), out.toByteArray());
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        sampler.shutdownNow();
        threads.shutdownNow();
        pages.close();
    }
}
