package org.flowmatch4j.report;

import java.util.Arrays;

/**
 * An axis-aligned box {@code [xMin, xMax] × [yMin, yMax]} in data units.
 *
 * @param xMin left
 * @param xMax right
 * @param yMin bottom
 * @param yMax top
 */
public record Bounds(double xMin, double xMax, double yMin, double yMax) {
    public Bounds {
        if (!(Double.isFinite(xMin) && Double.isFinite(xMax) && Double.isFinite(yMin) && Double.isFinite(yMax)) || xMax < xMin || yMax < yMin) {
            throw new IllegalArgumentException("bounds [" + xMin + ", " + xMax + "] × [" + yMin + ", " + yMax + "]");
        }
    }

    /** The smallest box holding the finite points among the first {@code n}; null when there are none. */
    public static Bounds of(double[] xs, double[] ys, int n) {
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
                x0 = Math.min(x0, xs[i]);
                x1 = Math.max(x1, xs[i]);
                y0 = Math.min(y0, ys[i]);
                y1 = Math.max(y1, ys[i]);
            }
        }
        return x0 > x1 ? null : new Bounds(x0, x1, y0, y1);
    }

    /**
     * The box between the {@code q} and {@code 1 − q} quantiles of each coordinate of the finite points (a few
     * outlying samples then do not squash the plot); null when there are none.
     */
    public static Bounds quantiles(double[] xs, double[] ys, int n, double q) {
        double[] a = finite(xs, ys, n, true);
        double[] b = finite(xs, ys, n, false);
        if (a.length == 0) {
            return null;
        }
        Arrays.sort(a);
        Arrays.sort(b);
        return new Bounds(quantile(a, q), quantile(a, 1 - q), quantile(b, q), quantile(b, 1 - q));
    }

    private static double[] finite(double[] xs, double[] ys, int n, boolean first) {
        double[] out = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
                out[k++] = first ? xs[i] : ys[i];
            }
        }
        return Arrays.copyOf(out, k);
    }

    private static double quantile(double[] sorted, double q) {
        double p = q * (sorted.length - 1);
        int i = (int) Math.floor(p);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (sorted[j] - sorted[i]) * (p - i);
    }

    /** The smallest box holding both (either may be null). */
    public static Bounds union(Bounds a, Bounds b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new Bounds(Math.min(a.xMin, b.xMin), Math.max(a.xMax, b.xMax), Math.min(a.yMin, b.yMin), Math.max(a.yMax, b.yMax));
    }

    /** Width. */
    public double width() {
        return xMax - xMin;
    }

    /** Height. */
    public double height() {
        return yMax - yMin;
    }

    /**
     * This box grown by {@code fraction} of its size on every side; a side of zero length grows to ±0.5 (or
     * ±10 % of the coordinate) so that a single point still has a visible range.
     */
    public Bounds pad(double fraction) {
        double w = width() > 0 ? width() : Math.max(1.0, 0.2 * Math.abs(xMin));
        double h = height() > 0 ? height() : Math.max(1.0, 0.2 * Math.abs(yMin));
        double cx = width() > 0 ? 0 : w / 2;
        double cy = height() > 0 ? 0 : h / 2;
        return new Bounds(xMin - cx - fraction * w, xMax + cx + fraction * w, yMin - cy - fraction * h, yMax + cy + fraction * h);
    }

    /** The square-aspect box with the same centre whose sides are the larger of width and height. */
    public Bounds square() {
        double s = Math.max(width(), height());
        double cx = (xMin + xMax) / 2;
        double cy = (yMin + yMax) / 2;
        return new Bounds(cx - s / 2, cx + s / 2, cy - s / 2, cy + s / 2);
    }

    /** Whether {@code (x, y)} lies inside (edges included). */
    public boolean contains(double x, double y) {
        return x >= xMin && x <= xMax && y >= yMin && y <= yMax;
    }
}
