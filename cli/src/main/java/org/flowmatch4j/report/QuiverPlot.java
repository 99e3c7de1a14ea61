package org.flowmatch4j.report;

import java.awt.Color;

/**
 * Arrows {@code (x, y) → (x + scale·u, y + scale·v)} in data units, coloured by the vector's length
 * {@code |(u, v)|} through a colour map from 0 to {@code colorMax}. Choose {@code scale} so that typical arrows
 * are about one grid spacing long ({@link #fitScale}).
 *
 * @param xs       arrow tails, x
 * @param ys       arrow tails, y
 * @param us       vector x components
 * @param vs       vector y components
 * @param scale    data units of arrow per unit of vector
 * @param map      colour map for the length
 * @param colorMax length at the top of the colour map
 */
public record QuiverPlot(double[] xs, double[] ys, double[] us, double[] vs, double scale, ColorMap map, double colorMax) implements Layer {
    public QuiverPlot {
        int n = xs.length;
        if (ys.length != n || us.length != n || vs.length != n) {
            throw new IllegalArgumentException("quiver: arrays of lengths " + n + ", " + ys.length + ", " + us.length + ", " + vs.length);
        }
    }

    /**
     * The scale that makes the {@code quantile}-th largest vector length equal to {@code spacing} (data units)
     * over all the given vector sets; 1 when all vectors vanish.
     */
    public static double fitScale(double spacing, double quantile, double[]... uvPairs) {
        int total = 0;
        for (int k = 0; k < uvPairs.length; k += 2) {
            total += uvPairs[k].length;
        }
        double[] len = new double[total];
        int m = 0;
        for (int k = 0; k < uvPairs.length; k += 2) {
            for (int i = 0; i < uvPairs[k].length; i++) {
                double l = Math.hypot(uvPairs[k][i], uvPairs[k + 1][i]);
                len[m++] = Double.isFinite(l) ? l : 0;
            }
        }
        java.util.Arrays.sort(len);
        double q = len.length == 0 ? 0 : len[(int) Math.min(len.length - 1, Math.floor(quantile * (len.length - 1)))];
        return q > 0 ? spacing / q : 1.0;
    }

    @Override
    public Bounds bounds() {
        return Bounds.of(xs, ys, xs.length);
    }

    @Override
    public void draw(Axes axes, Surface surface) {
        double[] hx = new double[3];
        double[] hy = new double[3];
        for (int i = 0; i < xs.length; i++) {
            double u = us[i];
            double v = vs[i];
            if (!(Double.isFinite(u) && Double.isFinite(v))) {
                continue;
            }
            Color c = map.color(Math.hypot(u, v) / colorMax);
            double x0 = axes.px(xs[i]);
            double y0 = axes.py(ys[i]);
            double x1 = axes.px(xs[i] + scale * u);
            double y1 = axes.py(ys[i] + scale * v);
            double len = Math.hypot(x1 - x0, y1 - y0);
            if (len < 1.0) {
                surface.dots(new double[] {x0}, new double[] {y0}, 1, 1.0, c);
                continue;
            }
            // the head is 40 % of the arrow, between 3.5 and 8 px, so short arrows still show a direction
            double head = Math.min(len, Math.max(3.5, Math.min(8, 0.4 * len)));
            double dx = (x1 - x0) / len;
            double dy = (y1 - y0) / len;
            double bx = x1 - dx * head;
            double by = y1 - dy * head;
            surface.line(x0, y0, bx, by, c, 1.4);
            hx[0] = x1;
            hy[0] = y1;
            hx[1] = bx - dy * head * 0.5;
            hy[1] = by + dx * head * 0.5;
            hx[2] = bx + dy * head * 0.5;
            hy[2] = by - dx * head * 0.5;
            surface.fillPolygon(hx, hy, 3, c);
        }
    }
}
