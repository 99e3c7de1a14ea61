package org.flowmatch4j.nf;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.nn.Module;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/**
 * Activation normalisation (Glow, Kingma &amp; Dhariwal 2018): a per-coordinate affine map, in the
 * normalizing direction {@code y = h ⊙ exp(log_scale) + bias}, {@code log|det| = Σ_j log_scale_j}.
 * Data-dependent initialisation: on the first batch it sees, {@code log_scale = −log(std(h) + ε)} and
 * {@code bias = −mean(h)·exp(log_scale)}, so that batch leaves it with zero mean and unit variance per
 * coordinate; afterwards both are ordinary trainable parameters. The buffer {@code initialized} (1 once done)
 * is saved with the weights, so a loaded model is never re-initialised.
 */
public final class ActNorm extends Module implements FlowStep {
    private static final double EPS = 1e-6;
    private final int dim;
    private final Var logScale;
    private final Var bias;
    private final Tensor initialized;

    /** An identity ActNorm of dimension {@code dim}, waiting for its initialising batch. */
    public ActNorm(int dim, DType dtype) {
        if (dim < 1) {
            throw new IllegalArgumentException("ActNorm: dim must be >= 1, got " + dim);
        }
        this.dim = dim;
        this.logScale = registerParameter("log_scale", Tensor.zeros(dtype, dim));
        this.bias = registerParameter("bias", Tensor.zeros(dtype, dim));
        this.initialized = registerBuffer("initialized", Tensor.zeros(dtype, 1));
    }

    /** Whether the data-dependent initialisation has run (or the state was loaded). */
    public boolean isInitialized() {
        return initialized.getDouble(0) != 0;
    }

    /**
     * Sets the parameters from the rows of {@code h} ({@code [rows, dim]}, row-major, accumulated in double)
     * so that they map to zero mean and unit variance, and marks the layer initialised.
     */
    public void initializeFrom(double[] h, int rows) {
        for (int j = 0; j < dim; j++) {
            double m = 0;
            for (int r = 0; r < rows; r++) {
                m += h[r * dim + j];
            }
            m /= rows;
            double v = 0;
            for (int r = 0; r < rows; r++) {
                double e = h[r * dim + j] - m;
                v += e * e;
            }
            double ls = -Math.log(Math.sqrt(v / rows) + EPS);
            logScale.value().setDouble(j, ls);
            bias.value().setDouble(j, -m * Math.exp(ls));
        }
        initialized.setDouble(0, 1.0);
    }

    /** The log-scale parameter {@code [dim]}. */
    public Var logScale() {
        return logScale;
    }

    /** The bias parameter {@code [dim]}. */
    public Var bias() {
        return bias;
    }

    @Override
    public Mapped normalize(Var h) {
        int rows = h.shape()[0];
        Var y = h.mul(logScale.exp()).add(bias);
        return new Mapped(y, logScale.sum().broadcastTo(rows));
    }

    @Override
    public Mapped generate(Var y) {
        int rows = y.shape()[0];
        Var h = y.sub(bias).mul(logScale.neg().exp());
        return new Mapped(h, logScale.sum().neg().broadcastTo(rows));
    }
}
