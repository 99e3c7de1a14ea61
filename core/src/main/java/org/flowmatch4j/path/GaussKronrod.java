package org.flowmatch4j.path;

import java.util.function.DoubleUnaryOperator;

/**
 * Adaptive Gauss–Kronrod quadrature (7-point Gauss embedded in the 15-point Kronrod rule) with recursive
 * bisection: an interval is accepted when {@code |K15 − G7| ≤ max(absTol, relTol·|K15|)}; otherwise both
 * halves are integrated with half the absolute tolerance.
 *
 * <p>The rule never evaluates the integrand at an interval's end points, so an integrand that is infinite at
 * the upper limit (such as {@code 1/(1−t)} at t = 1) is still evaluated at finite values only. An interval is
 * also accepted when its error estimate is below what rounding allows there (of the sum, and of the abscissae,
 * which next to a singularity moves f by f'·ulp), when it is narrower than a few ulps of its end points, or after
 * {@value #MAX_DEPTH} halvings: at an integrable end-point singularity this leaves an error of the order of the
 * integral over the last interval; at a non-integrable one the result is a large but finite value, so callers that
 * need to know about divergence must decide it themselves.
 */
final class GaussKronrod {
    static final int MAX_DEPTH = 64;

    /** Kronrod abscissae on [−1, 1] (positive half, descending); odd indices are the Gauss points. */
    private static final double[] XGK = {
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
        0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
        0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0.0,
    };
    /** Kronrod weights for {@link #XGK}. */
    private static final double[] WGK = {
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
        0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
        0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
    };
    /** Gauss weights for XGK[1], XGK[3], XGK[5], XGK[7]. */
    private static final double[] WG = {
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
        0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
    };

    private final DoubleUnaryOperator f;
    private final double relTol;
    private final long maxEvaluations;
    private long evaluations;

    private GaussKronrod(DoubleUnaryOperator f, double relTol, long maxEvaluations) {
        this.f = f;
        this.relTol = relTol;
        this.maxEvaluations = maxEvaluations;
    }

    /**
     * ∫ₐᵇ f to the given tolerances. Returns NaN or ±∞ as soon as a rule estimate is not finite; throws
     * when more than {@code maxEvaluations} integrand evaluations would be needed.
     */
    static double integrate(DoubleUnaryOperator f, double a, double b, double absTol, double relTol, long maxEvaluations) {
        if (a == b) {
            return 0.0;
        }
        GaussKronrod q = new GaussKronrod(f, relTol, maxEvaluations);
        return q.adapt(a, b, absTol, 0);
    }

    /** The plain 15-point Kronrod estimate over [a, b] (no adaptation); exact for polynomials of degree ≤ 22. */
    static double kronrod15(DoubleUnaryOperator f, double a, double b) {
        double c = 0.5 * (a + b);
        double h = 0.5 * (b - a);
        double k = WGK[7] * f.applyAsDouble(c);
        for (int j = 0; j < 7; j++) {
            double x = h * XGK[j];
            k += WGK[j] * (f.applyAsDouble(c - x) + f.applyAsDouble(c + x));
        }
        return k * h;
    }

    /** The embedded 7-point Gauss estimate over [a, b]; exact for polynomials of degree ≤ 13. */
    static double gauss7(DoubleUnaryOperator f, double a, double b) {
        double c = 0.5 * (a + b);
        double h = 0.5 * (b - a);
        double g = WG[3] * f.applyAsDouble(c);
        for (int j = 1; j < 7; j += 2) {
            double x = h * XGK[j];
            g += WG[j / 2] * (f.applyAsDouble(c - x) + f.applyAsDouble(c + x));
        }
        return g * h;
    }

    private double adapt(double a, double b, double absTol, int depth) {
        evaluations += 15;
        if (evaluations > maxEvaluations) {
            throw new IllegalArgumentException("adaptive quadrature did not converge within " + maxEvaluations
                    + " evaluations (stuck on [" + a + ", " + b + "])");
        }
        double c = 0.5 * (a + b);
        double h = 0.5 * (b - a);
        double fc = f.applyAsDouble(c);
        double k = WGK[7] * fc;
        double g = WG[3] * fc;
        double absSum = WGK[7] * Math.abs(fc);
        double outerSpread = 0;
        for (int j = 0; j < 7; j++) {
            double x = h * XGK[j];
            double lo = f.applyAsDouble(c - x);
            double hi = f.applyAsDouble(c + x);
            double pair = lo + hi;
            k += WGK[j] * pair;
            absSum += WGK[j] * (Math.abs(lo) + Math.abs(hi));
            if ((j & 1) == 1) {
                g += WG[j / 2] * pair;
            }
            if (j == 0) {
                outerSpread = Math.abs(hi - lo);
            }
        }
        k *= h;
        g *= h;
        if (!Double.isFinite(k)) {
            return k;
        }
        double err = Math.abs(k - g);
        double ulp = Math.ulp(Math.max(Math.abs(a), Math.abs(b)));
        // The accuracy any rule can reach here: rounding of the sum, and the rounding of the abscissae themselves,
        // which moves f by about f'·ulp(x) (dominant next to a singularity at a point such as t = 1, where the
        // integrand changes by orders of magnitude across a few ulps). Refining below it only multiplies work.
        double noiseFloor = 50 * (Math.ulp(1.0) * absSum * h + ulp * outerSpread);
        boolean tooNarrow = h <= 16 * ulp;
        if (err <= Math.max(Math.max(absTol, relTol * Math.abs(k)), noiseFloor) || depth >= MAX_DEPTH || tooNarrow) {
            return k;
        }
        return adapt(a, c, 0.5 * absTol, depth + 1) + adapt(c, b, 0.5 * absTol, depth + 1);
    }
}
