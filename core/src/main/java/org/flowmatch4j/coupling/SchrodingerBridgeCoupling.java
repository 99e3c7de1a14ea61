package org.flowmatch4j.coupling;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * The static Schrödinger-bridge coupling for a Brownian reference with diffusion σ: the entropic OT plan
 * with squared Euclidean cost and <em>absolute</em> regularisation {@code ε = 2σ²}, pairs drawn from it
 * row-conditionally (every x0 once, {@code x1 ~ π(i,·)/a_i}) so that they are a sample of the plan the
 * bridge theory prescribes. Use it with the Schrödinger-bridge probability path of the same σ.
 */
public final class SchrodingerBridgeCoupling implements Coupling {
    /** CLI name. */
    public static final String NAME = "schrodinger-bridge";

    private final double sigma;
    private final SinkhornCoupling sinkhorn;

    /** A bridge with diffusion σ &gt; 0 and the default Sinkhorn iteration cap and tolerance. */
    public SchrodingerBridgeCoupling(double sigma) {
        this(sigma, SinkhornCoupling.DEFAULT_MAX_ITERATIONS, SinkhornCoupling.DEFAULT_TOLERANCE, PlanSampling.ROW_CONDITIONAL);
    }

    /**
     * @param sigma         diffusion of the reference Brownian motion, &gt; 0
     * @param maxIterations Sinkhorn iteration cap
     * @param tolerance     L1 marginal tolerance
     * @param sampling      how pairs are drawn (row-conditional is the exact plan sample)
     */
    public SchrodingerBridgeCoupling(double sigma, int maxIterations, double tolerance, PlanSampling sampling) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("Schrodinger bridge sigma must be positive and finite, got " + sigma);
        }
        this.sigma = sigma;
        this.sinkhorn = new SinkhornCoupling(2 * sigma * sigma, EpsilonScale.ABSOLUTE, maxIterations, tolerance, sampling);
    }

    @Override
    public CouplingPlan plan(Tensor x0, Tensor x1, Rng rng) {
        return sinkhorn.plan(x0, x1, rng);
    }

    /** The dense entropic plan with ε = 2σ². */
    public EntropicPlan solve(Tensor x0, Tensor x1) {
        return sinkhorn.solve(x0, x1);
    }

    /** The diffusion σ. */
    public double sigma() {
        return sigma;
    }

    /** The regularisation 2σ². */
    public double epsilon() {
        return 2 * sigma * sigma;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "SchrodingerBridgeCoupling[sigma=" + sigma + "]";
    }
}
