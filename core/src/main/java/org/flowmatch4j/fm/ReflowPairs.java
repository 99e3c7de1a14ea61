package org.flowmatch4j.fm;

import org.flowmatch4j.likelihood.FlowOde;
import org.flowmatch4j.likelihood.VelocityField;
import org.flowmatch4j.solver.OdeSolution;
import org.flowmatch4j.solver.OdeSolver;
import org.flowmatch4j.solver.Recording;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.train.PairSource;

/**
 * The coupling a trained flow defines, for reflow (rectified flow, Liu et al. 2022): {@code x0 ~ N(0, I)} and
 * {@code x1 = φ₁(x0)}, the teacher's ODE solution at t = 1. Training Flow Matching on these pairs (with the
 * independent coupling, which keeps them) gives a flow with the same marginals and straighter paths: the
 * pairs no longer cross, so the conditional lines are what the marginal flow follows. A fixed set of pairs is
 * generated once; batches draw rows of it uniformly with replacement.
 */
public final class ReflowPairs implements PairSource {
    private final float[] x0;
    private final float[] x1;
    private final int n;
    private final int d;
    private final long nfe;

    private ReflowPairs(float[] x0, float[] x1, int n, int d, long nfe) {
        this.x0 = x0;
        this.x1 = x1;
        this.n = n;
        this.d = d;
        this.nfe = nfe;
    }

    /**
     * Integrates {@code teacher} (in its own space) from {@code n} standard normal points at t = 0 to t = 1
     * with {@code solver}, in chunks of at most {@code chunk} points.
     */
    public static ReflowPairs generate(VelocityField teacher, int n, OdeSolver solver, Rng rng, int chunk) {
        if (n < 1 || chunk < 1) {
            throw new IllegalArgumentException("reflow pairs: need n >= 1 and chunk >= 1, got n=" + n + " chunk=" + chunk);
        }
        int d = teacher.dim();
        float[] x0 = new float[n * d];
        float[] x1 = new float[n * d];
        long nfe = 0;
        for (int done = 0; done < n; done += chunk) {
            int rows = Math.min(chunk, n - done);
            double[] y0 = new double[rows * d];
            for (int i = 0; i < y0.length; i++) {
                y0[i] = rng.nextGaussian();
                x0[done * d + i] = (float) y0[i];
            }
            OdeSolution sol = solver.solve(new FlowOde(teacher, rows), 0.0, y0, 1.0, Recording.none());
            double[] y1 = sol.state();
            for (int i = 0; i < y1.length; i++) {
                float v = (float) y1[i];
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException("reflow pairs: the teacher's flow produced a non-finite value (pair " + (done + i / d) + ")");
                }
                x1[done * d + i] = v;
            }
            nfe += sol.nfe();
        }
        return new ReflowPairs(x0, x1, n, d, nfe);
    }

    @Override
    public void sample(Rng rng, int batch, float[] out0, float[] out1) {
        for (int r = 0; r < batch; r++) {
            int i = rng.nextInt(n);
            System.arraycopy(x0, i * d, out0, r * d, d);
            System.arraycopy(x1, i * d, out1, r * d, d);
        }
    }

    /** Number of pairs. */
    public int size() {
        return n;
    }

    /** Network evaluations the teacher spent generating them (summed over chunks). */
    public long nfe() {
        return nfe;
    }

    /** A copy of the sources {@code [n, d]}. */
    public float[] sources() {
        return x0.clone();
    }

    /** A copy of the teacher's endpoints {@code [n, d]}. */
    public float[] targets() {
        return x1.clone();
    }
}
