package dev.sluice.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads counters from a running pipeline's Prometheus endpoint, found through the line its log prints at start-up
 * ({@code Admin endpoint on http://...}); the bench's configs let the pipeline pick a free port.
 */
final class PipelineMetrics {
    private static final Pattern ENDPOINT = Pattern.compile("Admin endpoint on (http://\\S+)");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI metrics;

    private PipelineMetrics(URI metrics) {
        this.metrics = metrics;
    }

    /** The endpoint of the pipeline that wrote {@code jvm}'s log. */
    static PipelineMetrics of(MeasuredJvm jvm) {
        for (String line : jvm.lines()) {
            Matcher m = ENDPOINT.matcher(line);
            if (m.find()) {
                return new PipelineMetrics(URI.create(m.group(1) + "/metrics"));
            }
        }
        throw new IllegalStateException("The pipeline's log does not name its admin endpoint: " + jvm.log());
    }

    /** One read of the endpoint; the values in it are from the same moment. */
    Scrape scrape() throws IOException, InterruptedException {
        return new Scrape(
                metrics,
                HTTP.send(
                                HttpRequest.newBuilder(metrics)
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
    }

    /** The text of one read of {@code /metrics}. */
    record Scrape(URI metrics, String body) {
        /** The value of a counter or gauge of the one pipeline, e.g. {@code sluice_kafka_commits_total}. */
        double value(String name) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)")
                    .matcher(body);
            if (!m.find()) {
                throw new IllegalStateException(metrics + " has no " + name);
            }
            return Double.parseDouble(m.group(1));
        }
    }
}
