package org.flowmatch4j.diffusion;

import org.flowmatch4j.likelihood.VelocityField;

/**
 * The probability-flow ODE of the VP SDE as a {@link VelocityField} in t (t = 0 noise, t = 1 data), driven by an
 * ε-predictor: {@code v(t, x) = ½β(1−t)·(x − ε̂(t, x)/σ_t)} (see {@link VpSde}; equal to the VP affine path's
 * ε → velocity conversion). The map from ε̂ to v is affine in (x, ε̂), so its Jacobian–vector product is the same
 * map applied to the tangent and the ε-network's JVP: {@code v̇ = ½β·(ẋ − (∂ε̂/∂x)·ẋ/σ_t)}; exact likelihoods
 * through {@link org.flowmatch4j.likelihood.LogLikelihood} therefore work unchanged.
 *
 * <p>σ_t vanishes at t = 1, so for {@code t > 1 − tEps} the field is evaluated at {@code 1 − tEps} (network and
 * coefficients alike): the flow is frozen over the last tEps of time, which moves a point by about
 * {@code tEps·|v|} — a documented clamp, not a singularity. Not thread-safe when the ε-network is not.
 */
public final class ProbabilityFlowField implements VelocityField {
    private final VpSde sde;
    private final VelocityField epsilon;
    private final double tEps;

    /**
     * @param epsilon the ε-predictor (its {@code velocity} returns ε̂)
     * @param tEps    0 &lt; tEps &lt; 1, the distance from t = 1 beyond which time is clamped
     */
    public ProbabilityFlowField(VpSde sde, VelocityField epsilon, double tEps) {
        if (sde == null || epsilon == null) {
            throw new IllegalArgumentException("ProbabilityFlowField: sde and epsilon must not be null");
        }
        if (!(tEps > 0.0 && tEps < 1.0)) {
            throw new IllegalArgumentException("ProbabilityFlowField: t_eps must lie in (0, 1), got " + tEps);
        }
        this.sde = sde;
        this.epsilon = epsilon;
        this.tEps = tEps;
    }

    @Override
    public int dim() {
        return epsilon.dim();
    }

    @Override
    public int maxTangents() {
        return epsilon.maxTangents();
    }

    @Override
    public void velocity(double t, float[] x, int rows, float[] out) {
        double tc = clamp(t);
        epsilon.velocity(tc, x, rows, out);
        sde.probabilityFlowVelocity(tc, x, out, rows * dim(), out);
    }

    @Override
    public void velocityJvp(double t, float[] x, int rows, float[] out, float[][] tanIn, float[][] tanOut, int count) {
        double tc = clamp(t);
        epsilon.velocityJvp(tc, x, rows, out, tanIn, tanOut, count);
        int n = rows * dim();
        sde.probabilityFlowVelocity(tc, x, out, n, out);
        for (int j = 0; j < count; j++) {
            sde.probabilityFlowVelocity(tc, tanIn[j], tanOut[j], n, tanOut[j]);
        }
    }

    private double clamp(double t) {
        return Math.min(t, 1.0 - tEps);
    }
}
