package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/**
 * Transformer-style sinusoidal features {@code [cos(s·t·ω_i), sin(s·t·ω_i)]} with
 * {@code ω_i = maxPeriod^(−i/half)}, {@code i = 0..half−1}, and a time scale s (1000 by default, since
 * t ∈ [0, 1] here rather than a step index).
 */
public final class SinusoidalTimeEmbedding implements TimeEmbedding {
    private final int dim;
    private final Tensor freqs;

    /** An embedding with {@code dim} (even) features, max period 10000 and time scale 1000. */
    public SinusoidalTimeEmbedding(int dim) {
        this(dim, 10000.0, 1000.0, DType.FLOAT32);
    }

    /** An embedding with explicit max period and time scale. */
    public SinusoidalTimeEmbedding(int dim, double maxPeriod, double timeScale, DType dtype) {
        if (dim < 2 || dim % 2 != 0) {
            throw new IllegalArgumentException("SinusoidalTimeEmbedding: dim must be even and >= 2, got " + dim);
        }
        this.dim = dim;
        int half = dim / 2;
        this.freqs = Tensor.zeros(dtype, 1, half);
        for (int i = 0; i < half; i++) {
            freqs.setDouble(i, timeScale * Math.exp(-Math.log(maxPeriod) * i / half));
        }
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public Var embed(Var t) {
        TimeEmbedding.requireTimeVector(t);
        Var arg = t.reshape(-1, 1).mul(Var.constant(freqs));
        return Var.concat(1, arg.cos(), arg.sin());
    }
}
