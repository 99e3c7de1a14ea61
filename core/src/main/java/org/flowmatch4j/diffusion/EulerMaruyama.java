package org.flowmatch4j.diffusion;

import org.flowmatch4j.likelihood.VelocityField;
import org.flowmatch4j.tensor.Rng;

/**
 * Euler–Maruyama integration of the VP reverse-time SDE in t (see {@link VpSde}),
 * {@code dx = β(1−t)·[½x − ε̂(t, x)/σ_t] dt + √β(1−t) dW_t}, on the uniform grid
 * {@code t_k = t_start + k·h}, {@code h = (t_end − t_start)/K}, k = 0 … K−1:
 * <pre>
 *   x_{k+1} = x_k + h·β(1−t_k)·[½·x_k − ε̂(t_k, x_k)/σ_{t_k}] + √(β(1−t_k)·h)·z_k,     z_k ~ N(0, I).
 * </pre>
 *
 * <p><b>Ends.</b> The start is usually t = 0, where the VP marginal is N(α_0·E[x1], ~I) with α_0 ≈ 0.0066, so the
 * prior N(0, I) is used there. The end is clamped to {@code t_end < 1}: at t = 1, σ_t = 0 and the score −ε̂/σ is
 * undefined (and near it the 1/σ_t factor amplifies the network's error), so integration stops at
 * {@code t_end = 1 − t_eps} (t_eps = 1e-3 by default, σ ≈ 0.01 there). With {@code denoise}, a last
 * network evaluation replaces the remaining noise by Tweedie's posterior mean
 * {@code x̂1 = (x − σ·ε̂)/α} at t_end (the affine path's ε → x1 conversion).
 *
 * <p>The ε-predictor is any {@link VelocityField}-shaped evaluation (only {@link VelocityField#velocity} is called,
 * and it returns ε̂). The inner loop allocates nothing once its buffer has grown to the batch; an instance is not
 * thread-safe. The network is evaluated {@code K} times ({@code K + 1} with denoising), returned as the NFE.
 */
public final class EulerMaruyama {
    /** The default distance t_eps of the end time from t = 1. */
    public static final double DEFAULT_T_EPS = 1e-3;

    private final VpSde sde;
    private final int steps;
    private final double tStart;
    private final double tEnd;
    private final boolean denoise;
    private float[] eps = new float[0];

    /**
     * @param steps   K ≥ 1 Euler–Maruyama steps
     * @param tStart  the start time (0 ≤ tStart < tEnd), where the state is drawn from N(0, I)
     * @param tEnd    the end time (&lt; 1, see the class comment)
     * @param denoise whether to finish with the Tweedie step x̂1 = (x − σ·ε̂)/α at tEnd (one more NFE)
     */
    public EulerMaruyama(VpSde sde, int steps, double tStart, double tEnd, boolean denoise) {
        if (sde == null) {
            throw new IllegalArgumentException("EulerMaruyama: sde must not be null");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("EulerMaruyama: need at least one step, got " + steps);
        }
        if (!(tStart >= 0.0 && tStart < tEnd && tEnd < 1.0)) {
            throw new IllegalArgumentException("EulerMaruyama: need 0 <= t_start < t_end < 1 (sigma_t vanishes at t = 1), got t_start="
                    + tStart + " t_end=" + tEnd);
        }
        this.sde = sde;
        this.steps = steps;
        this.tStart = tStart;
        this.tEnd = tEnd;
        this.denoise = denoise;
    }

    /** K steps from t = 0 to {@code 1 − DEFAULT_T_EPS}, finished by the Tweedie denoising step. */
    public static EulerMaruyama standard(VpSde sde, int steps) {
        return new EulerMaruyama(sde, steps, 0.0, 1.0 - DEFAULT_T_EPS, true);
    }

    /** K, the number of steps. */
    public int steps() {
        return steps;
    }

    /** Network evaluations per {@link #integrate} call. */
    public long nfe() {
        return steps + (denoise ? 1 : 0);
    }

    /**
     * Integrates {@code rows} points {@code x} ({@code [rows, d]}, the state at t_start, e.g. N(0, I) draws) in place
     * to t_end, drawing the Brownian increments from {@code rng} in row-major order step by step.
     *
     * @return the number of ε-network evaluations
     */
    public long integrate(VelocityField epsilon, float[] x, int rows, Rng rng) {
        int n = rows * epsilon.dim();
        if (rows < 1 || x.length < n) {
            throw new IllegalArgumentException("EulerMaruyama: state has " + x.length + " values, need " + rows + "×" + epsilon.dim());
        }
        if (eps.length < n) {
            eps = new float[n];
        }
        double h = (tEnd - tStart) / steps;
        for (int k = 0; k < steps; k++) {
            double t = tStart + k * h;
            epsilon.velocity(t, x, rows, eps);
            sde.reverseDrift(t, x, eps, n, eps);
            double noise = Math.sqrt(sde.beta(t) * h);
            for (int i = 0; i < n; i++) {
                x[i] = (float) (x[i] + h * eps[i] + noise * rng.nextGaussian());
            }
        }
        if (denoise) {
            epsilon.velocity(tEnd, x, rows, eps);
            double a = sde.alpha(tEnd);
            double s = sde.sigma(tEnd);
            for (int i = 0; i < n; i++) {
                x[i] = (float) ((x[i] - s * eps[i]) / a);
            }
        }
        return nfe();
    }
}
