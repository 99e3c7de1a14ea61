package org.flowmatch4j.report;

import java.awt.Color;
import java.util.Optional;

/**
 * Points as small filled discs of one colour. Tens of thousands of points render quickly on a raster; keep it
 * to a few hundred for SVG.
 *
 * @param xs     x coordinates
 * @param ys     y coordinates
 * @param color  colour (translucent colours show density where points overlap)
 * @param radius disc radius in pixels
 * @param label  legend label, or null
 */
public record ScatterPlot(double[] xs, double[] ys, Color color, double radius, String label) implements Layer {
    public ScatterPlot {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("scatter: " + xs.length + " x values but " + ys.length + " y values");
        }
    }

    /** Columns {@code cx} and {@code cy} of the first {@code n} rows of a row-major {@code [n, d]} array. */
    public static ScatterPlot of(float[] rows, int n, int d, int cx, int cy, Color color) {
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = rows[i * d + cx];
            ys[i] = rows[i * d + cy];
        }
        return new ScatterPlot(xs, ys, color, 1.6, null);
    }

    /** This plot with a legend label. */
    public ScatterPlot label(String text) {
        return new ScatterPlot(xs, ys, color, radius, text);
    }

    /** This plot with another disc radius. */
    public ScatterPlot radius(double r) {
        return new ScatterPlot(xs, ys, color, r, label);
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
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
                px[k] = axes.px(xs[i]);
                py[k] = axes.py(ys[i]);
                k++;
            }
        }
        surface.dots(px, py, k, radius, color);
    }

    @Override
    public Optional<LegendEntry> legend() {
        return label == null ? Optional.empty() : Optional.of(new LegendEntry(label, new Color(color.getRGB() & 0xffffff | 0xff000000, true), false));
    }
}
