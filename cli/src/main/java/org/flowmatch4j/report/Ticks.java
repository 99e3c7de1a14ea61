package org.flowmatch4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Axis tick positions and labels: "nice" steps of 1, 2 or 5 × 10^k for linear axes, powers of ten (and 2×, 5×
 * when a range spans less than two decades) for logarithmic ones.
 */
public final class Ticks {
    private Ticks() {
    }

    /** About {@code target} ticks in {@code [lo, hi]} on a linear axis, at multiples of a nice step. */
    public static double[] linear(double lo, double hi, int target) {
        double step = niceStep(lo, hi, target);
        if (!(step > 0)) {
            return new double[] {lo};
        }
        double first = Math.ceil(lo / step - 1e-9) * step;
        List<Double> out = new ArrayList<>();
        for (double v = first; v <= hi + step * 1e-9; v += step) {
            out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
            if (out.size() > 100) {
                break;
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The nice step (1, 2 or 5 × 10^k) giving about {@code target} ticks over {@code [lo, hi]}. */
    public static double niceStep(double lo, double hi, int target) {
        double span = hi - lo;
        if (!(span > 0) || !Double.isFinite(span)) {
            return 0;
        }
        double raw = span / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / mag;
        double nice = m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10;
        return nice * mag;
    }

    /** Ticks in {@code [lo, hi]} ({@code lo > 0}) on a logarithmic axis. */
    public static double[] log(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        int e0 = (int) Math.floor(Math.log10(lo));
        int e1 = (int) Math.ceil(Math.log10(hi));
        boolean dense = e1 - e0 <= 2;
        for (int e = e0; e <= e1; e++) {
            double p = Math.pow(10, e);
            for (double m : dense ? new double[] {1, 2, 5} : new double[] {1}) {
                double v = m * p;
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
                    out.add(v);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * A short label for tick value {@code v} on an axis with tick spacing {@code step}: as many decimals as the
     * step needs, scientific notation for very large or small magnitudes.
     */
    public static String format(double v, double step) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            String s = String.format(Locale.ROOT, "%.1e", v);
            return s.replace(".0e", "e").replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
        }
        int decimals = step > 0 ? Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9)) : 2;
        return String.format(Locale.ROOT, "%." + Math.min(decimals, 6) + "f", v);
    }
}
