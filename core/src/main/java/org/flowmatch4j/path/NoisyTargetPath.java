package org.flowmatch4j.path;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * The seed's noisy-target variant: wraps a path and adds fresh zero-mean noise to its regression target,
 * {@code u = u_t + σ·ε} with {@code ε ~ N(0, I)} independent of everything else (x_t is unchanged).
 *
 * <p>Because {@code E[ε | t, x_t] = 0}, the squared-error loss splits as
 * {@code E||v − u_t − σε||² = E||v − u_t||² + σ²·d}: the minimiser (the conditional expectation
 * {@code E[u_t | t, x_t]}) is unchanged, the loss is shifted by σ²·d, and only its variance (and that of the
 * gradient) grows. It therefore offers nothing but slower training; it exists because users try it.
 * The base path draws from the Rng first, then the target noise is drawn in row-major order.
 *
 * @param base  the path whose target is perturbed
 * @param sigma σ ≥ 0, the standard deviation of the target noise
 */
public record NoisyTargetPath(ProbabilityPath base, double sigma) implements ProbabilityPath {
    /** Validates the arguments. */
    public NoisyTargetPath {
        if (base == null) {
            throw new IllegalArgumentException("NoisyTargetPath: base path must not be null");
        }
        if (!(sigma >= 0.0 && Double.isFinite(sigma))) {
            throw new IllegalArgumentException("NoisyTargetPath: sigma must be finite and >= 0, got " + sigma);
        }
    }

    @Override
    public PathSample sample(Tensor x0, Tensor x1, Tensor t, Rng rng) {
        Batches.requireRng("NoisyTargetPath.sample", rng);
        PathSample s = base.sample(x0, x1, t, rng);
        Tensor u = s.ut();
        // a fresh tensor rather than writing into u: a custom base path may return a tensor it also uses elsewhere
        Tensor noisy = Tensor.zeros(u.dtype(), u.shape());
        int n = u.numel();
        if (u.dtype() == DType.FLOAT32) {
            float[] in = u.floatData();
            float[] out = noisy.floatData();
            for (int j = 0; j < n; j++) {
                out[j] = (float) (in[j] + sigma * rng.nextGaussian());
            }
        } else {
            double[] in = u.doubleData();
            double[] out = noisy.doubleData();
            for (int j = 0; j < n; j++) {
                out[j] = in[j] + sigma * rng.nextGaussian();
            }
        }
        return new PathSample(s.t(), s.x0(), s.x1(), s.xt(), noisy);
    }
}
