package org.flowmatch4j.path;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * The independent-noise Gaussian path around the straight line (torchcfm's I-CFM):
 * {@code x_t = (1−t)·x0 + t·x1 + σ·ε} with fresh {@code ε ~ N(0, I)}, target {@code u_t = x1 − x0}.
 * The noise has constant scale σ at every t, so this is not an affine path of the {@link Scheduler} form
 * (its x_t is not a deterministic function of (x0, x1, t)). Needs an Rng; ε is drawn in row-major order.
 *
 * @param sigma σ ≥ 0, the standard deviation of the noise around the line
 */
public record GaussianPath(double sigma) implements ProbabilityPath {
    /** Validates σ. */
    public GaussianPath {
        if (!(sigma >= 0.0 && Double.isFinite(sigma))) {
            throw new IllegalArgumentException("GaussianPath: sigma must be finite and >= 0, got " + sigma);
        }
    }

    @Override
    public PathSample sample(Tensor x0, Tensor x1, Tensor t, Rng rng) {
        int batch = Batches.checkPair("GaussianPath.sample", x0, x1, t);
        Batches.requireRng("GaussianPath.sample", rng);
        int n = Batches.rowSize(x0);
        Tensor xt = Tensor.zeros(x0.dtype(), x0.shape());
        Tensor ut = Tensor.zeros(x0.dtype(), x0.shape());
        boolean f32 = x0.dtype() == DType.FLOAT32;
        for (int i = 0; i < batch; i++) {
            double ti = Batches.time(t, i);
            double s = 1.0 - ti;
            int off = i * n;
            if (f32) {
                float[] a = x0.floatData();
                float[] b = x1.floatData();
                float[] xo = xt.floatData();
                float[] uo = ut.floatData();
                for (int j = off; j < off + n; j++) {
                    xo[j] = (float) (s * a[j] + ti * b[j] + sigma * rng.nextGaussian());
                    uo[j] = b[j] - a[j];
                }
            } else {
                double[] a = x0.doubleData();
                double[] b = x1.doubleData();
                double[] xo = xt.doubleData();
                double[] uo = ut.doubleData();
                for (int j = off; j < off + n; j++) {
                    xo[j] = s * a[j] + ti * b[j] + sigma * rng.nextGaussian();
                    uo[j] = b[j] - a[j];
                }
            }
        }
        return new PathSample(t, x0, x1, xt, ut);
    }
}
