package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * Random Fourier features {@code [sin(2π·t·w_i), cos(2π·t·w_i)]} with fixed frequencies
 * {@code w_i ~ N(0, σ²)} (Gaussian Fourier projection). The frequencies are a buffer, saved with the model.
 */
public final class FourierTimeEmbedding extends Module implements TimeEmbedding {
    private final int dim;
    private final Tensor freqs;

    /** {@code dim} (even) features with frequency scale σ. */
    public FourierTimeEmbedding(int dim, double sigma, DType dtype, Rng rng) {
        if (dim < 2 || dim % 2 != 0) {
            throw new IllegalArgumentException("FourierTimeEmbedding: dim must be even and >= 2, got " + dim);
        }
        this.dim = dim;
        Tensor w = rng.normal(dtype, 1, dim / 2).mul(2 * Math.PI * sigma);
        this.freqs = registerBuffer("freqs", w);
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public Var embed(Var t) {
        TimeEmbedding.requireTimeVector(t);
        Var arg = t.reshape(-1, 1).mul(Var.constant(freqs));
        return Var.concat(1, arg.sin(), arg.cos());
    }
}
