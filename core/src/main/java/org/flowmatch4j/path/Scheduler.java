package org.flowmatch4j.path;

/**
 * The coefficients of an affine Gaussian probability path {@code x_t = α_t·x1 + σ_t·x0} and their time
 * derivatives, so that the conditional velocity is {@code u_t = α'_t·x1 + σ'_t·x0}.
 *
 * <p>Convention (DESIGN.md §2): t = 0 is the source (noise {@code x0}), t = 1 is the data ({@code x1}); a
 * scheduler therefore has {@code α_0 ≈ 0, σ_0 ≈ 1} and {@code α_1 ≈ 1, σ_1 ≈ 0} (exactly, or up to a small
 * constant such as CondOT's σ_min or VP's {@code α_0 = e^{−T(1)/2}}).
 *
 * <p>Every method takes {@code t ∈ [0, 1]} and throws {@link IllegalArgumentException} for t outside it or
 * NaN. Values are computed in double precision and are finite everywhere on [0, 1]: where a derivative
 * diverges at t = 1 (σ_t ∝ √(1−t) near the end, as for {@link VPScheduler} and {@link LinearVPScheduler}),
 * the derivative for {@code t > 1 − }{@link #SINGULAR_EDGE} is the derivative at {@code 1 − SINGULAR_EDGE}
 * (a documented clamp; α_t and σ_t themselves stay exact).
 */
public interface Scheduler {
    /**
     * Distance from t = 1 inside which a divergent derivative is clamped to its value at {@code 1 − SINGULAR_EDGE}.
     * 1e-6 bounds |σ'| by about 700 for Linear VP and 160 for VP, small enough for float32 training targets
     * and far below any time step a solver takes.
     */
    double SINGULAR_EDGE = 1e-6;

    /** α_t, the weight of the data point x1. */
    double alpha(double t);

    /** σ_t, the weight of the source point x0. */
    double sigma(double t);

    /** dα_t/dt. */
    double alphaDot(double t);

    /** dσ_t/dt. */
    double sigmaDot(double t);

    /** A short name for logs and command lines, e.g. {@code condot} or {@code polynomial(n=2)}. */
    String name();
}
