package org.flowmatch4j.path;

import java.util.function.DoubleUnaryOperator;

/**
 * The seed's time-weighted family, built from a rate {@code w(t) ≥ 0}: the conditional velocity field
 * {@code u_t(x | x1) = w(t)·(x1 − x)}, integrated from x0, gives the affine path
 * <pre>
 *   x_t = κ_t·x0 + (1 − κ_t)·x1,    κ_t = exp(−W(t)),  W(t) = ∫₀ᵗ w(r) dr,
 *   σ_t = κ_t,  α_t = 1 − κ_t,      σ'_t = −w(t)·κ_t,  α'_t = w(t)·κ_t.
 * </pre>
 * The path reaches x1 at t = 1 only when {@code ∫₀¹ w = ∞}. {@code w = 1/(1−t)} gives CondOT
 * ({@code κ_t = 1 − t}); {@code w = n/(1−t)} gives {@code σ_t = (1−t)ⁿ}; a constant w gives an exponential
 * approach that never arrives ({@code κ_1 = e^{−w}}).
 *
 * <p>W is taken from the caller when given. Otherwise it is integrated numerically by adaptive Gauss–Kronrod
 * quadrature (absolute tolerance 1e-13, relative 1e-14): W at the 33 points k/32 is tabulated once at
 * construction and each call integrates only from the nearest table point below t. The quadrature never
 * evaluates w at t = 1, so a w that is infinite there is fine; whether ∫₀¹w diverges (κ_1 = 0, the path reaches
 * x1) is decided once at construction from the decay of ∫w over dyadic intervals next to 1. Accuracy: about 1e-12 relative on W,
 * except within δ of a singularity of w at t = 1, where the rounding of the quadrature points themselves
 * (doubles near 1 are 1.1e-16 apart) limits W's relative accuracy to about 1e-16/δ (1e-10 at δ = 1e-6).
 *
 * <p>α_t is computed as {@code −expm1(−W)} for full accuracy near t = 0. At t = 1 the product w·κ is often
 * ∞·0; whenever it is not finite for {@code t > 1 − }{@link Scheduler#SINGULAR_EDGE}, the derivatives are
 * evaluated at {@code 1 − SINGULAR_EDGE} (for {@code w = 1/(1−t)} that is exactly the limit, 1). A non-finite
 * w·κ earlier than that is an error in w and throws.
 */
public final class TimeWeightedScheduler implements Scheduler {
    private static final int TABLE_INTERVALS = 32;
    private static final double ABS_TOL = 1e-13;
    private static final double REL_TOL = 1e-14;
    private static final long MAX_EVALUATIONS = 2_000_000L;

    private final DoubleUnaryOperator weight;
    private final DoubleUnaryOperator integral;
    /** W(k/32) for k = 0..32 when W is integrated numerically; null when the caller supplied W. */
    private final double[] table;
    private final String name;

    /** A scheduler from the rate w alone; its integral W is computed numerically. */
    public TimeWeightedScheduler(DoubleUnaryOperator weight) {
        this(weight, null, "time-weighted");
    }

    /** A scheduler from the rate w and its exact integral {@code W(t) = ∫₀ᵗ w}, which must satisfy W(0) = 0. */
    public TimeWeightedScheduler(DoubleUnaryOperator weight, DoubleUnaryOperator integral) {
        this(weight, requireNonNull(integral, "integral"), "time-weighted");
    }

    private TimeWeightedScheduler(DoubleUnaryOperator weight, DoubleUnaryOperator integral, String name) {
        this.weight = requireNonNull(weight, "weight");
        this.integral = integral;
        this.name = name;
        if (integral != null) {
            double w0 = integral.applyAsDouble(0.0);
            if (!(Math.abs(w0) <= 1e-12)) {
                throw new IllegalArgumentException("TimeWeightedScheduler: the integral W(t) = ∫₀ᵗ w must satisfy W(0) = 0, got W(0) = " + w0);
            }
            this.table = null;
        } else {
            this.table = tabulate(weight);
        }
    }

    /** {@code w(t) = 1/(1−t)} with its exact integral {@code −ln(1−t)}: the CondOT path written in the seed's form. */
    public static TimeWeightedScheduler condOT() {
        return new TimeWeightedScheduler(t -> 1.0 / (1.0 - t), t -> -Math.log1p(-t), "time-weighted(w=1/(1-t))");
    }

    /** {@code w(t) = n/(1−t)} with its exact integral {@code −n·ln(1−t)}: {@code σ_t = (1−t)ⁿ}, α_t = 1 − σ_t. */
    public static TimeWeightedScheduler reciprocal(double n) {
        if (!(n > 0.0 && Double.isFinite(n))) {
            throw new IllegalArgumentException("TimeWeightedScheduler.reciprocal: n must be finite and > 0, got " + n);
        }
        return new TimeWeightedScheduler(t -> n / (1.0 - t), t -> -n * Math.log1p(-t), "time-weighted(w=" + n + "/(1-t))");
    }

    private static <T> T requireNonNull(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("TimeWeightedScheduler: " + what + " must not be null");
        }
        return value;
    }

    private static double[] tabulate(DoubleUnaryOperator w) {
        double[] tab = new double[TABLE_INTERVALS + 1];
        for (int k = 0; k < TABLE_INTERVALS; k++) {
            double a = (double) k / TABLE_INTERVALS;
            double b = (double) (k + 1) / TABLE_INTERVALS;
            double piece = GaussKronrod.integrate(w, a, b, ABS_TOL, REL_TOL, MAX_EVALUATIONS);
            if (Double.isNaN(piece) || (Double.isInfinite(piece) && k < TABLE_INTERVALS - 1)) {
                throw new IllegalArgumentException("TimeWeightedScheduler: the rate w is not integrable on [" + a + ", " + b
                        + "] (numerical integral " + piece + ", w(" + a + ") = " + w.applyAsDouble(a) + ")");
            }
            tab[k + 1] = tab[k] + piece;
        }
        if (divergesAtOne(w)) {
            tab[TABLE_INTERVALS] = Double.POSITIVE_INFINITY;
        }
        return tab;
    }

    /**
     * Whether ∫w diverges at t = 1, judged from two successive dyadic pieces next to 1: for an integrable singularity
     * (1−t)^(−p), p < 1, the piece over [1−2^(−k), 1−2^(−k−1)] shrinks by 2^(p−1) per k; for a divergent one it
     * does not shrink. Declaring divergence at a ratio above 0.99 misjudges only p > 0.985, whose ∫₀¹w > 60 makes
     * κ_1 < 1e-26 either way. Without this, the quadrature's floor next to 1 would leave κ_1 at, e.g., 6e-8 for
     * w = 0.5/(1−t) instead of 0.
     */
    private static boolean divergesAtOne(DoubleUnaryOperator w) {
        double a = 1.0 - 0x1p-40;
        double b = 1.0 - 0x1p-41;
        double c = 1.0 - 0x1p-42;
        double near = GaussKronrod.integrate(w, a, b, 0.0, 1e-10, MAX_EVALUATIONS);
        double nearer = GaussKronrod.integrate(w, b, c, 0.0, 1e-10, MAX_EVALUATIONS);
        return near > 0 && nearer >= 0.99 * near;
    }

    /** The rate w(t). */
    public double weight(double t) {
        return weight.applyAsDouble(Times.check("TimeWeightedScheduler.weight", t));
    }

    /** {@code W(t) = ∫₀ᵗ w}, exact when supplied, else numerical (may be +∞ or very large at t = 1). */
    public double integral(double t) {
        Times.check("TimeWeightedScheduler.integral", t);
        return integralUnchecked(t);
    }

    private double integralUnchecked(double t) {
        if (table == null) {
            return integral.applyAsDouble(t);
        }
        int k = Math.min((int) (t * TABLE_INTERVALS), TABLE_INTERVALS);
        double a = (double) k / TABLE_INTERVALS;
        if (t == a) {
            return table[k];
        }
        return table[k] + GaussKronrod.integrate(weight, a, t, ABS_TOL, REL_TOL, MAX_EVALUATIONS);
    }

    /** {@code κ_t = exp(−W(t)) = σ_t}, the fraction of x0 left at time t. */
    public double kappa(double t) {
        Times.check("TimeWeightedScheduler.kappa", t);
        return Math.exp(-integralUnchecked(t));
    }

    @Override
    public double alpha(double t) {
        Times.check("TimeWeightedScheduler.alpha", t);
        return -Math.expm1(-integralUnchecked(t));
    }

    @Override
    public double sigma(double t) {
        Times.check("TimeWeightedScheduler.sigma", t);
        return Math.exp(-integralUnchecked(t));
    }

    @Override
    public double alphaDot(double t) {
        return rate(Times.check("TimeWeightedScheduler.alphaDot", t));
    }

    @Override
    public double sigmaDot(double t) {
        return -rate(Times.check("TimeWeightedScheduler.sigmaDot", t));
    }

    /** w(t)·κ_t with the documented clamp next to t = 1. */
    private double rate(double t) {
        double r = weight.applyAsDouble(t) * Math.exp(-integralUnchecked(t));
        if (Double.isFinite(r)) {
            return r;
        }
        double edge = 1.0 - Scheduler.SINGULAR_EDGE;
        if (t > edge) {
            double clamped = weight.applyAsDouble(edge) * Math.exp(-integralUnchecked(edge));
            if (Double.isFinite(clamped)) {
                return clamped;
            }
        }
        throw new IllegalArgumentException("TimeWeightedScheduler: w(t)·κ_t is not finite at t = " + t
                + " (w(t) = " + weight.applyAsDouble(t) + ", W(t) = " + integralUnchecked(t) + ")");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "TimeWeightedScheduler[" + name + (table == null ? ", exact W]" : ", numerical W]");
    }
}
