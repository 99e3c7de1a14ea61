package org.flowmatch4j.diffusion;

import org.flowmatch4j.likelihood.DivergenceMethod;
import org.flowmatch4j.likelihood.FlowOde;
import org.flowmatch4j.likelihood.LikelihoodResult;
import org.flowmatch4j.likelihood.LogLikelihood;
import org.flowmatch4j.likelihood.VelocityField;
import org.flowmatch4j.solver.OdeSolution;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.tensor.Rng;

/**
 * Sampling and likelihood of a VP diffusion model given by its ε-predictor ε̂(t, x) (trained by denoising score
 * matching, i.e. {@link org.flowmatch4j.fm.FlowMatchingTrainer} on {@code AffinePath(new VPScheduler())} with the
 * ε target), in t = 0 noise / t = 1 data time:
 * <ul>
 *   <li>{@link #sampleSde}: the reverse-time SDE by {@link EulerMaruyama} from N(0, I) at t = 0 to 1 − tEps,
 *       finished by Tweedie's denoising step;</li>
 *   <li>{@link #probabilityFlow()}: the probability-flow ODE {@code ½β(1−t)·(x − ε̂/σ_t)} as a velocity field with
 *       JVPs ({@link ProbabilityFlowField}), which {@link #sampleOde} integrates from 0 to 1 and {@link #logProb}
 *       integrates backwards with the divergence for exact likelihoods.</li>
 * </ul>
 * All in the space the network was trained in (standardised data for a model directory).
 */
public final class DiffusionSampler {
    private final VpSde sde;
    private final VelocityField epsilon;
    private final double tEps;

    /**
     * @param epsilon the ε-predictor (its {@code velocity} returns ε̂; JVPs are needed for exact likelihoods only)
     * @param tEps    the distance from t = 1 where SDE sampling stops and the PF-ODE field is clamped (e.g. 1e-3)
     */
    public DiffusionSampler(VpSde sde, VelocityField epsilon, double tEps) {
        if (sde == null || epsilon == null) {
            throw new IllegalArgumentException("DiffusionSampler: sde and epsilon must not be null");
        }
        if (!(tEps > 0.0 && tEps < 1.0)) {
            throw new IllegalArgumentException("DiffusionSampler: t_eps must lie in (0, 1), got " + tEps);
        }
        this.sde = sde;
        this.epsilon = epsilon;
        this.tEps = tEps;
    }

    /** The SDE. */
    public VpSde sde() {
        return sde;
    }

    /** The data dimension. */
    public int dim() {
        return epsilon.dim();
    }

    /** {@code n} samples by {@code steps} Euler–Maruyama steps of the reverse SDE plus the denoising step. */
    public DiffusionSamples sampleSde(int n, int steps, Rng rng) {
        if (n < 1) {
            throw new IllegalArgumentException("sampleSde: need at least one sample, got " + n);
        }
        EulerMaruyama em = new EulerMaruyama(sde, steps, 0.0, 1.0 - tEps, true);
        float[] x = new float[n * dim()];
        rng.fillNormal(x, 0, x.length);
        long nfe = em.integrate(epsilon, x, n, rng);
        return new DiffusionSamples(x, n, nfe);
    }

    /** The probability-flow ODE as a velocity field (ε-network JVPs carried through). */
    public VelocityField probabilityFlow() {
        return new ProbabilityFlowField(sde, epsilon, tEps);
    }

    /** {@code n} samples by integrating the probability-flow ODE from N(0, I) at t = 0 to t = 1 with {@code solver}. */
    public DiffusionSamples sampleOde(int n, OdeSolver solver, Rng rng) {
        if (n < 1) {
            throw new IllegalArgumentException("sampleOde: need at least one sample, got " + n);
        }
        double[] y0 = new double[n * dim()];
        for (int i = 0; i < y0.length; i++) {
            y0[i] = rng.nextGaussian();
        }
        OdeSolution sol = solver.solve(new FlowOde(probabilityFlow(), n), 0.0, y0, 1.0);
        float[] out = new float[y0.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) sol.state(i);
        }
        return new DiffusionSamples(out, n, sol.nfe());
    }

    /**
     * Exact (or Hutchinson) log-densities, in nats, of the rows of {@code x} under the probability-flow ODE with the
     * N(0, I) prior at t = 0 (see {@link LogLikelihood}).
     */
    public LikelihoodResult logProb(float[] x, int n, OdeSolver solver, DivergenceMethod method, int probes, Rng rng) {
        return LogLikelihood.compute(probabilityFlow(), x, n, solver, method, probes, rng);
    }
}
