package org.flowmatch4j.diffusion;

import org.flowmatch4j.path.VPScheduler;

/**
 * The variance-preserving SDE (Song et al. 2021) written in the library's convention (t = 0 noise, t = 1 data).
 *
 * <p><b>Forward (noising) SDE.</b> In the diffusion time {@code s = 1 − t}, which runs from the data (s = 0) to the
 * noise (s = 1), with {@code β(s) = β_min + (β_max − β_min)·s}:
 * <pre>
 *   dx = f(x, s) ds + g(s) dW_s,      f(x, s) = −½·β(s)·x,      g(s) = √β(s).
 * </pre>
 * Its marginals are those of {@link VPScheduler}'s affine path, {@code x_t = α_t·x1 + σ_t·ε} with
 * {@code α_t = exp(−½·T(1−t))}, {@code σ_t = √(1 − α_t²)}, {@code T(s) = ∫₀ˢ β}.
 *
 * <p><b>Reverse-time SDE in t.</b> Anderson's reverse of the forward SDE runs s from 1 down to 0:
 * {@code dx = [f − g²·∇log p] ds + g dW̄_s}. Substituting {@code s = 1 − t} ({@code ds = −dt}) it runs forward in t,
 * from noise at t = 0 to data at t = 1:
 * <pre>
 *   dx = [−f(x, 1−t) + g(1−t)²·score(t, x)] dt + g(1−t) dW_t
 *      = β(1−t)·[½·x + score(t, x)] dt + √β(1−t) dW_t,
 * </pre>
 * where {@code score(t, x) = ∇ₓ log p_t(x)} is the score of the path's marginal at our time t.
 *
 * <p><b>Probability-flow ODE in t.</b> The deterministic flow with the same marginals,
 * {@code dx/dt = −f(x, 1−t) + ½·g(1−t)²·score(t, x) = ½·β(1−t)·[x + score(t, x)]}.
 *
 * <p><b>ε-prediction.</b> Because {@code x_t = α_t·x1 + σ_t·ε} with ε independent of x1,
 * {@code score(t, x) = −E[ε | x_t = x]/σ_t}; an ε-network ε̂ therefore gives {@code score = −ε̂/σ_t} and the PF-ODE
 * velocity {@code ½β·(x − ε̂/σ_t)}. This is exactly the affine path's ε → velocity conversion
 * {@code v = (α'/α)·x + (σ' − σ·α'/α)·ε̂}, since for VP {@code α'/α = ½β} and
 * {@code σ' − σ·α'/α = −½β·(α² + σ²)/σ = −½β/σ}.
 *
 * @param scheduler the α, σ schedule whose β_min, β_max define the SDE
 */
public record VpSde(VPScheduler scheduler) {
    /** Validates the scheduler. */
    public VpSde {
        if (scheduler == null) {
            throw new IllegalArgumentException("VpSde: scheduler must not be null");
        }
    }

    /** The usual VP SDE, β_min = 0.1, β_max = 20. */
    public VpSde() {
        this(new VPScheduler());
    }

    /** {@code β(1 − t)}, the noise rate at our time t (β_max at t = 0, β_min at t = 1). */
    public double beta(double t) {
        check("beta", t);
        return scheduler.betaMin() + (scheduler.betaMax() - scheduler.betaMin()) * (1.0 - t);
    }

    /** The forward drift's coefficient at diffusion time {@code s}: {@code f(x, s) = forwardDriftCoefficient(s)·x = −½β(s)·x}. */
    public double forwardDriftCoefficient(double s) {
        return -0.5 * beta(1.0 - check("forwardDriftCoefficient", s));
    }

    /** The diffusion coefficient at our time t: {@code g(1 − t) = √β(1 − t)}. */
    public double diffusion(double t) {
        return Math.sqrt(beta(t));
    }

    /** α_t of the marginal. */
    public double alpha(double t) {
        return scheduler.alpha(t);
    }

    /** σ_t of the marginal. */
    public double sigma(double t) {
        return scheduler.sigma(t);
    }

    /**
     * The reverse-SDE drift in t from an ε-prediction: {@code out = β(1−t)·(½·x − ε̂/σ_t)} for {@code n} values
     * from offset 0. {@code out} may be {@code eps} (in place). Needs {@code σ_t > 0}, i.e. t < 1.
     */
    public void reverseDrift(double t, float[] x, float[] eps, int n, float[] out) {
        double b = beta(t);
        double c = -b / positiveSigma("reverseDrift", t);
        double h = 0.5 * b;
        for (int i = 0; i < n; i++) {
            out[i] = (float) (h * x[i] + c * eps[i]);
        }
    }

    /**
     * The probability-flow velocity in t from an ε-prediction: {@code out = ½β(1−t)·(x − ε̂/σ_t)} for {@code n}
     * values. {@code out} may be {@code eps} (in place). Needs {@code σ_t > 0}, i.e. t < 1.
     */
    public void probabilityFlowVelocity(double t, float[] x, float[] eps, int n, float[] out) {
        double h = 0.5 * beta(t);
        double c = -h / positiveSigma("probabilityFlowVelocity", t);
        for (int i = 0; i < n; i++) {
            out[i] = (float) (h * x[i] + c * eps[i]);
        }
    }

    /** The score from an ε-prediction: {@code out = −ε̂/σ_t} for {@code n} values (in place allowed). Needs t < 1. */
    public void score(double t, float[] eps, int n, float[] out) {
        double c = -1.0 / positiveSigma("score", t);
        for (int i = 0; i < n; i++) {
            out[i] = (float) (c * eps[i]);
        }
    }

    private double positiveSigma(String who, double t) {
        double s = sigma(t);
        if (!(s > 0.0)) {
            throw new IllegalArgumentException("VpSde." + who + ": sigma_t = " + s + " at t = " + t
                    + "; the score is undefined where the marginal has no noise (t = 1); stop at t = 1 - t_eps");
        }
        return s;
    }

    private static double check(String who, double t) {
        if (!(t >= 0.0 && t <= 1.0)) {
            throw new IllegalArgumentException("VpSde." + who + ": time must lie in [0, 1], got " + t);
        }
        return t;
    }
}
