package org.flowmatch4j.report;

import java.awt.Color;

/**
 * Paths through time, coloured by time through a colour map: path p visits {@code (xs[p][k], ys[p][k])} at
 * {@code times[k]}. Each path is drawn as a few polylines, one per band of the time range, so that the colour
 * follows t without a segment per step.
 *
 * @param xs     {@code [paths][steps]} x coordinates
 * @param ys     {@code [paths][steps]} y coordinates
 * @param times  the time of each step (increasing)
 * @param map    colour map over {@code [times[0], times[last]]}
 * @param alpha  opacity 0–255 (low values let overlapping paths show their density)
 * @param width  line width in pixels
 */
public record TrajectoryPlot(double[][] xs, double[][] ys, double[] times, ColorMap map, int alpha, double width) implements Layer {
    private static final int BANDS = 12;

    public TrajectoryPlot {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("trajectories: " + xs.length + " x paths but " + ys.length + " y paths");
        }
        for (int p = 0; p < xs.length; p++) {
            if (xs[p].length != times.length || ys[p].length != times.length) {
                throw new IllegalArgumentException("trajectory " + p + " has " + xs[p].length + "/" + ys[p].length + " points, expected "
                        + times.length);
            }
        }
    }

    @Override
    public Bounds bounds() {
        Bounds b = null;
        for (int p = 0; p < xs.length; p++) {
            b = Bounds.union(b, Bounds.of(xs[p], ys[p], times.length));
        }
        return b;
    }

    @Override
    public void draw(Axes axes, Surface surface) {
        int steps = times.length;
        if (steps < 2) {
            return;
        }
        double t0 = times[0];
        double span = Math.max(1e-12, times[steps - 1] - t0);
        int bands = Math.min(BANDS, steps - 1);
        double[] px = new double[steps];
        double[] py = new double[steps];
        for (int b = 0; b < bands; b++) {
            int from = (int) ((long) b * (steps - 1) / bands);
            int to = (int) ((long) (b + 1) * (steps - 1) / bands);
            double mid = (times[from] + times[to]) / 2;
            Color c = map.color((mid - t0) / span, alpha);
            for (int p = 0; p < xs.length; p++) {
                int k = 0;
                for (int s = from; s <= to; s++) {
                    if (Double.isFinite(xs[p][s]) && Double.isFinite(ys[p][s])) {
                        px[k] = axes.px(xs[p][s]);
                        py[k] = axes.py(ys[p][s]);
                        k++;
                    }
                }
                surface.polyline(px, py, k, c, width);
            }
        }
    }
}
