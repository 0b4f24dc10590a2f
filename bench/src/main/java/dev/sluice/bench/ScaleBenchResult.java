package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** One {@code bench scale} run: X(N) per level, the USL fit, its residuals, and a chart of both. */
public record ScaleBenchResult(
        ObjectNode manifest, ScaleBench.Options options, List<ScaleBench.Point> points, UslFit fit) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "scale");
        root.set("manifest", manifest);
        root.put("load_average_at_end", Manifest.loadAverage());
        ArrayNode list = root.putArray("points");
        double[] residuals = fit.residuals();
        for (int i = 0; i < points.size(); i++) {
            ScaleBench.Point p = points.get(i);
            ObjectNode n = JSON.valueToTree(p);
            n.put("records_per_sec", p.recordsPerSec());
            n.put("others_cpu_seconds", p.othersCpuSeconds());
            n.put("fitted_records_per_sec", fit.throughput(p.writers()));
            n.put("residual", residuals[i]);
            list.add(n);
        }
        ObjectNode f = root.putObject("usl_fit");
        f.put("model", "X(N) = lambda*N / (1 + sigma*(N-1) + kappa*N*(N-1)); Levenberg-Marquardt, commons-math3");
        f.put("sigma", fit.sigma());
        f.put("kappa", fit.kappa());
        f.put("lambda", fit.lambda());
        f.put("peak_concurrency", fit.peakConcurrency());
        f.put("max_throughput", fit.maxThroughput());
        f.put("rmse", fit.rmse());
        return root;
    }

    public String table() {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "%5s | %8s | %14s | %14s | %10s | %s%n",
                "round",
                "writers",
                "records/sec",
                "USL fit",
                "residual",
                "CPU-s in the window: broker / writers' JVM / other processes (window s)"));
        out.append("-".repeat(128)).append('\n');
        double[] residuals = fit.residuals();
        for (int i = 0; i < points.size(); i++) {
            ScaleBench.Point p = points.get(i);
            out.append(String.format(
                    Locale.ROOT,
                    "%5d | %8d | %,14.0f | %,14.0f | %+9.1f%% | %.2f / %.2f / %.2f (%.1f s)%n",
                    p.round(),
                    p.writers(),
                    p.recordsPerSec(),
                    fit.throughput(p.writers()),
                    100 * residuals[i] / fit.throughput(p.writers()),
                    p.brokerCpuSeconds(),
                    p.harnessCpuSeconds(),
                    p.othersCpuSeconds(),
                    p.seconds()));
        }
        out.append(String.format(
                Locale.ROOT,
                "USL: sigma = %.4f, kappa = %.6f, lambda = %,.0f records/s; N* = %s; "
                        + "X(N*) = %,.0f records/s; residual RMS %,.0f records/s%n",
                fit.sigma(),
                fit.kappa(),
                fit.lambda(),
                peakText(),
                fit.maxThroughput(),
                fit.rmse()));
        return out.toString();
    }

    private String peakText() {
        double peak = fit.peakConcurrency();
        return Double.isInfinite(peak)
                ? "none (kappa = 0: throughput levels off at lambda/sigma)"
                : String.format(Locale.ROOT, "%.2f", peak);
    }

    public String chart() {
        double[] n = points.stream().mapToDouble(ScaleBench.Point::writers).toArray();
        double[] x =
                points.stream().mapToDouble(ScaleBench.Point::recordsPerSec).toArray();
        double xMax = SvgChart.niceCeiling(java.util.Arrays.stream(n).max().orElse(1) + 1);
        return SvgChart.pointsAndCurve(
                String.format(
                        Locale.ROOT,
                        "Sluice writers into 1 broker: USL sigma=%.3f " + "kappa=%.4f lambda=%,.0f",
                        fit.sigma(),
                        fit.kappa(),
                        fit.lambda()),
                "concurrent writers (N)",
                "records/sec committed",
                n,
                x,
                fit::throughput,
                xMax,
                "USL fit");
    }
}
