package org.flowmatch4j.path;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Tensor;

/**
 * The Brownian-bridge (Schrödinger-bridge) conditional path between x0 and x1 with diffusion scale σ:
 * <pre>
 *   μ_t = (1−t)·x0 + t·x1,   σ_t = σ·√(t(1−t)),   x_t = μ_t + σ_t·ε,  ε ~ N(0, I),
 *   u_t = (1−2t)/(2t(1−t)) · (x_t − μ_t) + (x1 − x0),
 * </pre>
 * the time derivative of x_t along a fixed ε (since {@code σ'_t/σ_t = (1−2t)/(2t(1−t))}). Pair it with a
 * Schrödinger-bridge coupling (entropic OT with regularisation 2σ²) for SB-CFM.
 *
 * <p>The coefficient {@code (1−2t)/(2t(1−t))} diverges at t = 0 and t = 1; it is evaluated at t clamped into
 * {@code [TIME_GUARD, 1 − TIME_GUARD]}. At t = 0 and t = 1 themselves σ_t = 0, so the noise term vanishes and
 * u_t = x1 − x0; near them the noise term is at most {@code σ/(2√TIME_GUARD)·|ε|}. {@code x_t − μ_t} is formed
 * as σ_t·ε directly rather than by subtraction, so no cancellation error enters the target. Needs an Rng; ε is
 * drawn in row-major order.
 *
 * @param sigma σ ≥ 0, the bridge's diffusion scale
 */
public record SchrodingerBridgePath(double sigma) implements ProbabilityPath {
    /** Times closer than this to 0 or 1 use the coefficient at the guard. */
    public static final double TIME_GUARD = 1e-6;

    /** Validates σ. */
    public SchrodingerBridgePath {
        if (!(sigma >= 0.0 && Double.isFinite(sigma))) {
            throw new IllegalArgumentException("SchrodingerBridgePath: sigma must be finite and >= 0, got " + sigma);
        }
    }

    /** {@code σ_t = σ·√(t(1−t))}, the noise scale of x_t. */
    public double sigmaAt(double t) {
        Times.check("SchrodingerBridgePath.sigmaAt", t);
        return sigma * Math.sqrt(t * (1.0 - t));
    }

    /** The guarded coefficient {@code (1−2t)/(2t(1−t))} of (x_t − μ_t) in the target. */
    public static double noiseCoefficient(double t) {
        double c = Math.min(Math.max(Times.check("SchrodingerBridgePath.noiseCoefficient", t), TIME_GUARD), 1.0 - TIME_GUARD);
        return (1.0 - 2.0 * c) / (2.0 * c * (1.0 - c));
    }

    @Override
    public PathSample sample(Tensor x0, Tensor x1, Tensor t, Rng rng) {
        int batch = Batches.checkPair("SchrodingerBridgePath.sample", x0, x1, t);
        Batches.requireRng("SchrodingerBridgePath.sample", rng);
        int n = Batches.rowSize(x0);
        Tensor xt = Tensor.zeros(x0.dtype(), x0.shape());
        Tensor ut = Tensor.zeros(x0.dtype(), x0.shape());
        boolean f32 = x0.dtype() == DType.FLOAT32;
        for (int i = 0; i < batch; i++) {
            double ti = Batches.time(t, i);
            double s = 1.0 - ti;
            double st = sigma * Math.sqrt(ti * s);
            double c = noiseCoefficient(ti);
            int off = i * n;
            if (f32) {
                float[] a = x0.floatData();
                float[] b = x1.floatData();
                float[] xo = xt.floatData();
                float[] uo = ut.floatData();
                for (int j = off; j < off + n; j++) {
                    double noise = st * rng.nextGaussian();
                    xo[j] = (float) (s * a[j] + ti * b[j] + noise);
                    uo[j] = (float) (c * noise + ((double) b[j] - a[j]));
                }
            } else {
                double[] a = x0.doubleData();
                double[] b = x1.doubleData();
                double[] xo = xt.doubleData();
                double[] uo = ut.doubleData();
                for (int j = off; j < off + n; j++) {
                    double noise = st * rng.nextGaussian();
                    xo[j] = s * a[j] + ti * b[j] + noise;
                    uo[j] = c * noise + (b[j] - a[j]);
                }
            }
        }
        return new PathSample(t, x0, x1, xt, ut);
    }
}
