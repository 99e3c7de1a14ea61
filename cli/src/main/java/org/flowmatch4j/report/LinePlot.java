package org.flowmatch4j.report;

import java.awt.Color;
import java.util.Optional;

/**
 * A line through {@code (x_i, y_i)} in order, optionally with a marker at each point; non-finite points (and
 * non-positive ones on a logarithmic axis) break the line.
 *
 * @param xs      x coordinates
 * @param ys      y coordinates
 * @param color   colour
 * @param width   line width in pixels
 * @param markers draw a disc at each point
 * @param label   legend label, or null
 */
public record LinePlot(double[] xs, double[] ys, Color color, double width, boolean markers, String label) implements Layer {
    public LinePlot {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("line: " + xs.length + " x values but " + ys.length + " y values");
        }
    }

    /** A plain line of width 1.5. */
    public static LinePlot of(double[] xs, double[] ys, Color color) {
        return new LinePlot(xs, ys, color, 1.5, false, null);
    }

    /** This line with a legend label. */
    public LinePlot label(String text) {
        return new LinePlot(xs, ys, color, width, markers, text);
    }

    /** This line with another width. */
    public LinePlot width(double w) {
        return new LinePlot(xs, ys, color, w, markers, label);
    }

    /** This line with markers at the points. */
    public LinePlot withMarkers() {
        return new LinePlot(xs, ys, color, width, true, label);
    }

    @Override
    public Bounds bounds() {
        return Bounds.of(xs, ys, xs.length);
    }

    @Override
    public void draw(Axes axes, Surface surface) {
        int n = xs.length;
        double[] px = new double[n];
        double[] py = new double[n];
        int k = 0;
        for (int i = 0; i <= n; i++) {
            boolean ok = i < n && Double.isFinite(xs[i]) && Double.isFinite(ys[i]) && (!axes.logX() || xs[i] > 0) && (!axes.logY() || ys[i] > 0);
            if (ok) {
                px[k] = axes.px(xs[i]);
                py[k] = axes.py(ys[i]);
                k++;
            } else {
                flush(surface, px, py, k);
                k = 0;
            }
        }
        if (markers) {
            double[] mx = new double[n];
            double[] my = new double[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (Double.isFinite(xs[i]) && Double.isFinite(ys[i]) && (!axes.logX() || xs[i] > 0) && (!axes.logY() || ys[i] > 0)) {
                    mx[m] = axes.px(xs[i]);
                    my[m] = axes.py(ys[i]);
                    m++;
                }
            }
            surface.dots(mx, my, m, width + 1.5, color);
        }
    }

    private void flush(Surface surface, double[] px, double[] py, int k) {
        if (k >= 2) {
            surface.polyline(px, py, k, color, width);
        }
    }

    @Override
    public Optional<LegendEntry> legend() {
        return label == null ? Optional.empty() : Optional.of(new LegendEntry(label, color, true));
    }
}
