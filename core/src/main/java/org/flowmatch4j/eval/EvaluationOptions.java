package org.flowmatch4j.eval;

import org.flowmatch4j.likelihood.DivergenceMethod;

/**
 * Settings of an {@link Evaluation}.
 *
 * @param n                   samples drawn from the model, and held-out points used at most
 * @param seed                seed of every random draw of the evaluation (sampling, subsampling, probes)
 * @param straightnessSamples trajectories recorded for the straightness figures (≥ 1)
 * @param straightnessSteps   RK4 steps of those trajectories (≥ 1); a fixed reference solver, so the figure
 *                            describes the learned flow rather than the sampling solver's settings
 * @param divergence          divergence of the likelihood solve, or null: exact for
 *                            d ≤ {@value #EXACT_DIVERGENCE_MAX_DIM}, Hutchinson (Rademacher) above
 * @param probes              Hutchinson probes (≥ 1; unused for the exact divergence)
 * @param otExactMax          largest size solved exactly by {@link Wasserstein}
 * @param otMaxPoints         points per set used at most by {@link Wasserstein} and {@link Mmd}
 */
public record EvaluationOptions(int n, long seed, int straightnessSamples, int straightnessSteps,
        DivergenceMethod divergence, int probes, int otExactMax, int otMaxPoints) {
    /** Largest dimension for which the default divergence is exact. */
    public static final int EXACT_DIVERGENCE_MAX_DIM = 64;
    /** Default number of straightness trajectories. */
    public static final int DEFAULT_STRAIGHTNESS_SAMPLES = 256;
    /** Default RK4 steps of the straightness trajectories. */
    public static final int DEFAULT_STRAIGHTNESS_STEPS = 100;

    public EvaluationOptions {
        if (n < 1 || straightnessSamples < 1 || straightnessSteps < 1 || probes < 1 || otExactMax < 1 || otMaxPoints < 1) {
            throw new IllegalArgumentException("EvaluationOptions: n, straightnessSamples, straightnessSteps, probes, otExactMax"
                    + " and otMaxPoints must be >= 1, got " + n + ", " + straightnessSamples + ", " + straightnessSteps + ", "
                    + probes + ", " + otExactMax + ", " + otMaxPoints);
        }
    }

    /** Defaults for n points and a seed: 256 RK4-100 trajectories, automatic divergence, exact OT up to 2000 points. */
    public static EvaluationOptions defaults(int n, long seed) {
        return new EvaluationOptions(n, seed, DEFAULT_STRAIGHTNESS_SAMPLES, DEFAULT_STRAIGHTNESS_STEPS, null, 1,
                Wasserstein.DEFAULT_EXACT_MAX, Wasserstein.DEFAULT_MAX_POINTS);
    }

    /** The divergence used for dimension d. */
    public DivergenceMethod divergenceFor(int d) {
        if (divergence != null) {
            return divergence;
        }
        return d <= EXACT_DIVERGENCE_MAX_DIM ? DivergenceMethod.EXACT : DivergenceMethod.HUTCHINSON_RADEMACHER;
    }
}
