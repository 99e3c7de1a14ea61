package org.flowmatch4j.likelihood;

import org.flowmatch4j.solver.OdeSystem;
import org.flowmatch4j.tensor.Rng;

/**
 * The augmented ODE of the instantaneous change of variables for a batch of n points:
 * state {@code y = [x (n·d values), L (n values)]} with {@code dx/dt = v(t, x)} and
 * {@code dL/dt = div v(t, x)}. Integrated from t = 1 (data, L = 0) down to t = 0 it gives
 * {@code log p1(x1) = log p0(x(0)) + L(0)}, since {@code d/dt log p_t(x_t) = −div v(t, x_t)}.
 *
 * <p>The divergence is exact (d JVPs with unit vectors) or Hutchinson's {@code (1/K)Σ_k ε_kᵀ(∂v/∂x)ε_k}
 * with K probes drawn once at construction and fixed for the whole solve. Buffers are allocated once;
 * {@link #derivative} allocates nothing.
 */
public final class LikelihoodDynamics implements OdeSystem {
    private final VelocityField field;
    private final int n;
    private final int d;
    private final DivergenceMethod method;
    private final int tangents;
    private final float[] x;
    private final float[] v;
    private final float[][] tanIn;
    private final float[][] tanOut;
    private long evaluations;

    /**
     * @param probes K, the number of Hutchinson probes (ignored for {@link DivergenceMethod#EXACT})
     * @param rng    draws the probes (unused for exact divergences)
     */
    public LikelihoodDynamics(VelocityField field, int points, DivergenceMethod method, int probes, Rng rng) {
        if (points <= 0) {
            throw new IllegalArgumentException("LikelihoodDynamics: need at least one point, got " + points);
        }
        if (method != DivergenceMethod.EXACT && probes < 1) {
            throw new IllegalArgumentException("LikelihoodDynamics: Hutchinson needs >= 1 probe, got " + probes);
        }
        this.field = field;
        this.n = points;
        this.d = field.dim();
        this.method = method;
        this.tangents = method == DivergenceMethod.EXACT ? d : probes;
        if (tangents > field.maxTangents()) {
            throw new IllegalArgumentException("LikelihoodDynamics: " + tangents + " tangents needed ("
                    + (method == DivergenceMethod.EXACT ? "exact divergence in d = " + d : probes + " probes")
                    + "), the field supports " + field.maxTangents());
        }
        this.x = new float[n * d];
        this.v = new float[n * d];
        this.tanIn = new float[tangents][n * d];
        this.tanOut = new float[tangents][n * d];
        for (int j = 0; j < tangents; j++) {
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < d; i++) {
                    float e;
                    if (method == DivergenceMethod.EXACT) {
                        e = i == j ? 1f : 0f;
                    } else if (method == DivergenceMethod.HUTCHINSON_RADEMACHER) {
                        e = (float) rng.nextRademacher();
                    } else {
                        e = (float) rng.nextGaussian();
                    }
                    tanIn[j][r * d + i] = e;
                }
            }
        }
    }

    /** Length of the state vector, {@code n·(d + 1)}. */
    @Override
    public int dimension() {
        return n * (d + 1);
    }

    /** Number of points n. */
    public int points() {
        return n;
    }

    /** Number of velocity evaluations so far. */
    public long evaluations() {
        return evaluations;
    }

    /** Initial state at t = 1: the data points and L = 0. */
    public double[] initialState(float[] data) {
        if (data.length != n * d) {
            throw new IllegalArgumentException("LikelihoodDynamics: data has " + data.length + " values, expected " + n + "×" + d);
        }
        double[] y = new double[dimension()];
        for (int i = 0; i < n * d; i++) {
            y[i] = data[i];
        }
        return y;
    }

    /** Writes {@code dy/dt} at (t, y). */
    @Override
    public void derivative(double t, double[] y, double[] dydt) {
        for (int i = 0; i < n * d; i++) {
            x[i] = (float) y[i];
        }
        field.velocityJvp(t, x, n, v, tanIn, tanOut, tangents);
        evaluations++;
        for (int i = 0; i < n * d; i++) {
            dydt[i] = v[i];
        }
        for (int r = 0; r < n; r++) {
            double div = 0;
            for (int j = 0; j < tangents; j++) {
                float[] ti = tanIn[j];
                float[] to = tanOut[j];
                int o = r * d;
                if (method == DivergenceMethod.EXACT) {
                    div += to[o + j];
                } else {
                    double s = 0;
                    for (int i = 0; i < d; i++) {
                        s += (double) ti[o + i] * to[o + i];
                    }
                    div += s;
                }
            }
            dydt[n * d + r] = method == DivergenceMethod.EXACT ? div : div / tangents;
        }
    }

    /**
     * Log-densities {@code log p1(x1) = log N(x(0); 0, I) + L(0)} from the state reached at t = 0.
     */
    public double[] logProbabilities(double[] stateAtZero) {
        double[] out = new double[n];
        double c = -0.5 * d * Math.log(2 * Math.PI);
        for (int r = 0; r < n; r++) {
            double sq = 0;
            for (int i = 0; i < d; i++) {
                double xi = stateAtZero[r * d + i];
                sq += xi * xi;
            }
            out[r] = c - 0.5 * sq + stateAtZero[n * d + r];
        }
        return out;
    }

    /** Bits per dimension of a log-density: {@code −log p / (d·ln 2)}. */
    public static double bitsPerDim(double logProb, int dim) {
        return -logProb / (dim * Math.log(2));
    }
}
