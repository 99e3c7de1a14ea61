package org.flowmatch4j.model;

import java.util.Optional;

import org.flowmatch4j.coupling.IndependentCoupling;
import org.flowmatch4j.diffusion.DiffusionSampler;
import org.flowmatch4j.diffusion.DiffusionSamples;
import org.flowmatch4j.diffusion.EulerMaruyama;
import org.flowmatch4j.diffusion.VpSde;
import org.flowmatch4j.fm.MlpVelocityField;
import org.flowmatch4j.path.AffinePath;
import org.flowmatch4j.path.PredictionTarget;
import org.flowmatch4j.path.ProbabilityPath;
import org.flowmatch4j.path.VPScheduler;
import org.flowmatch4j.tensor.Rng;

/**
 * Diffusion sampling for a model directory. A diffusion model is a {@link FlowMatchingModel} trained on the VP path
 * ({@code "path": "vp"}) with the ε target ({@code "target": "epsilon"}) and the independent coupling — that
 * regression is denoising score matching — so its ODE sampling and likelihood ({@link FlowMatchingModel#sample},
 * {@link FlowMatchingModel#logProb}) already run the probability-flow ODE. This adds the reverse-SDE sampler
 * ({@link EulerMaruyama}) in data units. The independent coupling is required because only then is
 * {@code −E[ε | x_t]/σ_t} the score of the marginal p_t that the SDE needs.
 */
public final class DiffusionSampling {
    private DiffusionSampling() {
    }

    /** The diffusion sampler of {@code model} in its standardised space, or an error saying which setting rules it out. */
    public static DiffusionSampler sampler(FlowMatchingModel model, int maxTangents) {
        ModelConfig c = model.config();
        ProbabilityPath path = Factories.path(c);
        if (!(path instanceof AffinePath affine) || !(affine.scheduler() instanceof VPScheduler vp)) {
            throw new IllegalArgumentException("SDE sampling needs a model trained on the VP path (path \"vp\"), this model has path \""
                    + c.path() + "\"");
        }
        if (PredictionTarget.parse(c.target()) != PredictionTarget.EPSILON) {
            throw new IllegalArgumentException("SDE sampling needs an epsilon-predicting model (target \"epsilon\"), this model has target \""
                    + c.target() + "\"");
        }
        if (!(Factories.coupling(c.coupling()) instanceof IndependentCoupling)) {
            throw new IllegalArgumentException("SDE sampling needs a model trained with the independent coupling (the score is"
                    + " -E[eps|x_t]/sigma_t only then), this model has coupling \"" + c.coupling() + "\"");
        }
        return new DiffusionSampler(new VpSde(vp), new MlpVelocityField(model.network(), 2048, maxTangents),
                EulerMaruyama.DEFAULT_T_EPS);
    }

    /**
     * {@code n} samples in data units by {@code steps} Euler–Maruyama steps of the reverse SDE from N(0, I) at t = 0 to
     * {@code 1 − }{@link EulerMaruyama#DEFAULT_T_EPS} and a final Tweedie denoising step (NFE = steps + 1).
     */
    public static Samples sampleSde(FlowMatchingModel model, int n, int steps, Rng rng) {
        DiffusionSamples s = sampler(model, 0).sampleSde(n, steps, rng);
        float[] out = s.values();
        model.normalization().invertInPlace(out, 0, n);
        return new Samples(out, n, s.nfe(), Optional.empty());
    }
}
