package dev.sluice.bench;

import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * Neil Gunther's Universal Scalability Law fitted to measured throughput: X(N) = λN / (1 + σ(N−1) + κN(N−1)), where
 * N is the concurrency, λ the throughput of one unit without any sharing, σ the contention (serialised share of the
 * work, as in Amdahl's law) and κ the coherency delay (crosstalk between each pair of units, which makes throughput
 * fall past the peak). Fitted by nonlinear least squares on the throughput (Levenberg-Marquardt, Apache Commons
 * Math), all three parameters at once, as R's {@code usl} package does with {@code nls}; σ is kept in [0, 1] and κ ≥ 0.
 */
public record UslFit(double sigma, double kappa, double lambda, double[] n, double[] x) {
    private static final int SIGMA = 0;
    private static final int KAPPA = 1;
    private static final int LAMBDA = 2;

    /** Fits the law to {@code x[i]} measured at concurrency {@code n[i]}; needs at least 3 points. */
    public static UslFit fit(double[] n, double[] x) {
        if (n.length != x.length || n.length < 3) {
            throw new IllegalArgumentException("The USL fit needs at least 3 (N, X) points, got " + n.length);
        }
        LeastSquaresOptimizer.Optimum optimum = new LevenbergMarquardtOptimizer()
                .optimize(new LeastSquaresBuilder()
                        .model(model(n))
                        .target(x)
                        .start(startingPoint(n, x))
                        .parameterValidator(p -> nonNegative(p))
                        .maxEvaluations(10_000)
                        .maxIterations(10_000)
                        .build());
        RealVector p = optimum.getPoint();
        return new UslFit(p.getEntry(SIGMA), p.getEntry(KAPPA), p.getEntry(LAMBDA), n.clone(), x.clone());
    }

    /** λ from the best per-unit rate (an upper bound), and little contention or crosstalk. */
    private static double[] startingPoint(double[] n, double[] x) {
        double lambda = 0;
        for (int i = 0; i < n.length; i++) {
            lambda = Math.max(lambda, x[i] / n[i]);
        }
        return new double[] {0.05, 0.001, lambda};
    }

    private static RealVector nonNegative(RealVector p) {
        RealVector q = p.copy();
        q.setEntry(SIGMA, Math.min(1, Math.max(0, p.getEntry(SIGMA))));
        q.setEntry(KAPPA, Math.max(0, p.getEntry(KAPPA)));
        return q;
    }

    /** X(N) and its partial derivatives by σ, κ and λ, at every measured N. */
    private static MultivariateJacobianFunction model(double[] n) {
        return point -> {
            double sigma = point.getEntry(SIGMA);
            double kappa = point.getEntry(KAPPA);
            double lambda = point.getEntry(LAMBDA);
            double[] value = new double[n.length];
            double[][] jacobian = new double[n.length][3];
            for (int i = 0; i < n.length; i++) {
                double d = denominator(n[i], sigma, kappa);
                value[i] = lambda * n[i] / d;
                jacobian[i][SIGMA] = -lambda * n[i] * (n[i] - 1) / (d * d);
                jacobian[i][KAPPA] = -lambda * n[i] * n[i] * (n[i] - 1) / (d * d);
                jacobian[i][LAMBDA] = n[i] / d;
            }
            return new Pair<>(new ArrayRealVector(value, false), new Array2DRowRealMatrix(jacobian, false));
        };
    }

    private static double denominator(double n, double sigma, double kappa) {
        return 1 + sigma * (n - 1) + kappa * n * (n - 1);
    }

    /** The fitted throughput at concurrency {@code n}. */
    public double throughput(double n) {
        return lambda * n / denominator(n, sigma, kappa);
    }

    /** N* = √((1 − σ)/κ), where throughput peaks; infinite when κ = 0 (throughput only levels off, at λ/σ). */
    public double peakConcurrency() {
        return kappa > 0 ? Math.sqrt((1 - sigma) / kappa) : Double.POSITIVE_INFINITY;
    }

    /** X(N*), the most this system delivers at any concurrency (λ/σ as N grows when κ = 0). */
    public double maxThroughput() {
        double peak = peakConcurrency();
        if (Double.isInfinite(peak)) {
            return sigma > 0 ? lambda / sigma : Double.POSITIVE_INFINITY;
        }
        return throughput(peak);
    }

    /** Measured minus fitted throughput, per point. */
    public double[] residuals() {
        double[] r = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            r[i] = x[i] - throughput(n[i]);
        }
        return r;
    }

    /** Root mean square of the residuals. */
    public double rmse() {
        double sum = 0;
        for (double r : residuals()) {
            sum += r * r;
        }
        return Math.sqrt(sum / n.length);
    }
}
