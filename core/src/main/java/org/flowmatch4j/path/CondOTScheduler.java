package org.flowmatch4j.path;

/**
 * The conditional optimal-transport (straight-line) scheduler: {@code α_t = t}, {@code σ_t = 1 − (1 − σ_min)·t}
 * (Lipman et al. 2023). With σ_min = 0 this is the seed's linear interpolation {@code x_t = t·x1 + (1−t)·x0}
 * with velocity {@code x1 − x0}; with σ_min > 0 the path ends in a Gaussian of standard deviation σ_min
 * around x1 rather than at x1 itself, and the velocity is {@code x1 − (1 − σ_min)·x0}.
 *
 * @param sigmaMin σ_min ∈ [0, 1), the residual noise scale at t = 1
 */
public record CondOTScheduler(double sigmaMin) implements Scheduler {
    /** Validates σ_min. */
    public CondOTScheduler {
        if (!(sigmaMin >= 0.0 && sigmaMin < 1.0)) {
            throw new IllegalArgumentException("CondOTScheduler: sigmaMin must lie in [0, 1), got " + sigmaMin);
        }
    }

    /** The plain straight-line scheduler (σ_min = 0). */
    public CondOTScheduler() {
        this(0.0);
    }

    @Override
    public double alpha(double t) {
        return Times.check("CondOTScheduler.alpha", t);
    }

    @Override
    public double sigma(double t) {
        return 1.0 - (1.0 - sigmaMin) * Times.check("CondOTScheduler.sigma", t);
    }

    @Override
    public double alphaDot(double t) {
        Times.check("CondOTScheduler.alphaDot", t);
        return 1.0;
    }

    @Override
    public double sigmaDot(double t) {
        Times.check("CondOTScheduler.sigmaDot", t);
        return -(1.0 - sigmaMin);
    }

    @Override
    public String name() {
        return sigmaMin == 0.0 ? "condot" : "condot(sigma_min=" + sigmaMin + ")";
    }
}
