package dev.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * Hand-written SVG charts for bench results, readable in any browser: grouped bars, points with a curve, and a step
 * line; {@link #stack} puts several into one file.
 */
public final class SvgChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 50;
    private static final int BOTTOM = 90;
    private static final String[] COLORS = {"#9e9e9e", "#1f77b4", "#ff7f0e", "#2ca02c"};

    private SvgChart() {}

    /** One series of a bar chart: a name and one value per group. */
    public record Series(String name, double[] values) {}

    /** Groups of bars side by side, one colour per series, each bar labelled with its value. */
    public static String bars(String title, String yLabel, List<String> groups, List<Series> series) {
        double max = series.stream()
                .flatMapToDouble(s -> java.util.Arrays.stream(s.values()))
                .max()
                .orElse(1);
        double yMax = niceCeiling(max);
        StringBuilder svg = header(title, yLabel, yMax);
        double groupWidth = plotWidth() / (double) groups.size();
        double barWidth = groupWidth * 0.8 / series.size();
        for (int g = 0; g < groups.size(); g++) {
            double x0 = LEFT + g * groupWidth + groupWidth * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[g];
                double x = x0 + s * barWidth;
                double y = yOf(v, yMax);
                svg.append(fmt(
                        "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>%n",
                        x, y, barWidth - 2, TOP + plotHeight() - y, COLORS[s % COLORS.length]));
                svg.append(fmt(
                        "<text x='%.1f' y='%.1f' font-size='10' text-anchor='middle'>%s</text>%n",
                        x + barWidth / 2, y - 3, compact(v)));
            }
            svg.append(fmt(
                    "<text x='%.1f' y='%d' font-size='12' text-anchor='middle'>%s</text>%n",
                    x0 + groupWidth * 0.4, TOP + plotHeight() + 18, escape(groups.get(g))));
        }
        legend(svg, series.stream().map(Series::name).toList(), 0);
        return svg.append("</svg>\n").toString();
    }

    /** Measured points (x, y) and a fitted curve drawn over [0, xMax]. */
    public static String pointsAndCurve(
            String title,
            String xLabel,
            String yLabel,
            double[] xs,
            double[] ys,
            DoubleUnaryOperator curve,
            double xMax,
            String curveName) {
        double yMax = 0;
        for (int i = 0; i < ys.length; i++) {
            yMax = Math.max(yMax, ys[i]);
        }
        for (double x = 0; x <= xMax; x += xMax / 200) {
            yMax = Math.max(yMax, curve.applyAsDouble(x));
        }
        yMax = niceCeiling(yMax);
        StringBuilder svg = header(title, yLabel, yMax);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i <= 200; i++) {
            double x = xMax * i / 200;
            path.append(i == 0 ? "M" : " L").append(fmt("%.1f %.1f", xPos(x, xMax), yOf(curve.applyAsDouble(x), yMax)));
        }
        svg.append(fmt("<path d='%s' fill='none' stroke='%s' stroke-width='2'/>%n", path, COLORS[2]));
        for (int i = 0; i < xs.length; i++) {
            svg.append(fmt(
                    "<circle cx='%.1f' cy='%.1f' r='5' fill='%s'/>%n", xPos(xs[i], xMax), yOf(ys[i], yMax), COLORS[1]));
        }
        for (int t = 0; t <= 8; t++) {
            double x = xMax * t / 8;
            svg.append(fmt(
                    "<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%s</text>%n",
                    xPos(x, xMax), TOP + plotHeight() + 16, compact(x)));
        }
        svg.append(fmt(
                "<text x='%d' y='%d' font-size='12' text-anchor='middle'>%s</text>%n",
                LEFT + plotWidth() / 2, TOP + plotHeight() + 36, escape(xLabel)));
        legend(svg, List.of("measured", curveName), 1);
        return svg.append("</svg>\n").toString();
    }

    /**
     * A line that holds each value until the next point (a running total that jumps at each point, such as events
     * committed over time), with the points marked.
     */
    public static String steps(String title, String xLabel, String yLabel, double[] xs, double[] ys) {
        double xMax = niceCeiling(java.util.Arrays.stream(xs).max().orElse(1));
        double yMax = niceCeiling(java.util.Arrays.stream(ys).max().orElse(1));
        StringBuilder svg = header(title, yLabel, yMax);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            if (i > 0) {
                path.append(fmt(" L%.1f %.1f", xPos(xs[i], xMax), yOf(ys[i - 1], yMax)));
            }
            path.append(fmt("%s%.1f %.1f", i == 0 ? "M" : " L", xPos(xs[i], xMax), yOf(ys[i], yMax)));
        }
        svg.append(fmt("<path d='%s' fill='none' stroke='%s' stroke-width='2'/>%n", path, COLORS[1]));
        for (int i = 0; i < xs.length; i++) {
            svg.append(fmt(
                    "<circle cx='%.1f' cy='%.1f' r='2.5' fill='%s'/>%n",
                    xPos(xs[i], xMax), yOf(ys[i], yMax), COLORS[1]));
        }
        for (int t = 0; t <= 8; t++) {
            double x = xMax * t / 8;
            svg.append(fmt(
                    "<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%s</text>%n",
                    xPos(x, xMax), TOP + plotHeight() + 16, compact(x)));
        }
        svg.append(fmt(
                "<text x='%d' y='%d' font-size='12' text-anchor='middle'>%s</text>%n",
                LEFT + plotWidth() / 2, TOP + plotHeight() + 36, escape(xLabel)));
        return svg.append("</svg>\n").toString();
    }

    /** Charts of this class one below the other, in one SVG document. */
    public static String stack(List<String> charts) {
        StringBuilder svg = new StringBuilder(fmt(
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' " + "font-family='sans-serif'>%n",
                WIDTH, HEIGHT * charts.size()));
        for (int i = 0; i < charts.size(); i++) {
            svg.append(charts.get(i)
                    .replaceFirst("<svg xmlns='http://www.w3.org/2000/svg' ", fmt("<svg x='0' y='%d' ", HEIGHT * i)));
        }
        return svg.append("</svg>\n").toString();
    }

    public static void write(Path file, String svg) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, svg);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static StringBuilder header(String title, String yLabel, double yMax) {
        StringBuilder svg = new StringBuilder(fmt(
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                        + "font-family='sans-serif'>%n<rect width='100%%' height='100%%' fill='white'/>%n",
                WIDTH, HEIGHT));
        svg.append(
                fmt("<text x='%d' y='24' font-size='15' text-anchor='middle'>%s</text>%n", WIDTH / 2, escape(title)));
        for (int t = 0; t <= 5; t++) {
            double v = yMax * t / 5;
            double y = yOf(v, yMax);
            svg.append(fmt(
                    "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#e0e0e0'/>%n", LEFT, y, LEFT + plotWidth(), y));
            svg.append(fmt(
                    "<text x='%d' y='%.1f' font-size='11' text-anchor='end'>%s</text>%n", LEFT - 6, y + 4, compact(v)));
        }
        svg.append(fmt(
                "<text x='16' y='%d' font-size='12' transform='rotate(-90 16 %d)' text-anchor='middle'>%s"
                        + "</text>%n",
                TOP + plotHeight() / 2, TOP + plotHeight() / 2, escape(yLabel)));
        svg.append(fmt(
                "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n",
                LEFT, TOP + plotHeight(), LEFT + plotWidth(), TOP + plotHeight()));
        return svg;
    }

    /** One swatch per name, coloured from {@code firstColor} on (points are colour 1, the curve colour 2). */
    private static void legend(StringBuilder svg, List<String> names, int firstColor) {
        int x = LEFT;
        for (int i = 0; i < names.size(); i++) {
            svg.append(fmt(
                    "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>%n",
                    x, HEIGHT - 30, COLORS[(firstColor + i) % COLORS.length]));
            svg.append(
                    fmt("<text x='%d' y='%d' font-size='12'>%s</text>%n", x + 16, HEIGHT - 20, escape(names.get(i))));
            x += 24 + (int) (6.5 * names.get(i).length());
        }
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private static double yOf(double v, double yMax) {
        return TOP + plotHeight() * (1 - Math.max(0, v) / yMax);
    }

    private static double xPos(double x, double xMax) {
        return LEFT + plotWidth() * x / xMax;
    }

    /** 1, 2 or 5 times a power of ten, at or above {@code v}. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String compact(double v) {
        if (Math.abs(v) >= 1e6) {
            return fmt("%.2fM", v / 1e6);
        }
        if (Math.abs(v) >= 1e3) {
            return fmt("%.0fk", v / 1e3);
        }
        return v == Math.rint(v) ? fmt("%.0f", v) : fmt("%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
