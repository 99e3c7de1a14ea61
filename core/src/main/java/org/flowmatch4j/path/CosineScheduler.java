package org.flowmatch4j.path;

/**
 * The cosine (variance-preserving, trigonometric) scheduler {@code α_t = sin(πt/2)}, {@code σ_t = cos(πt/2)},
 * so {@code α_t² + σ_t² = 1}, with {@code α'_t = (π/2)·cos(πt/2)} and {@code σ'_t = −(π/2)·sin(πt/2)}.
 *
 * <p>σ_1 is returned as exactly 0 (the floating-point {@code cos(π/2)} is 6e-17), so the path ends exactly at x1.
 */
public record CosineScheduler() implements Scheduler {
    private static final double HALF_PI = 0.5 * Math.PI;

    @Override
    public double alpha(double t) {
        return Math.sin(HALF_PI * Times.check("CosineScheduler.alpha", t));
    }

    @Override
    public double sigma(double t) {
        Times.check("CosineScheduler.sigma", t);
        return t == 1.0 ? 0.0 : Math.cos(HALF_PI * t);
    }

    @Override
    public double alphaDot(double t) {
        Times.check("CosineScheduler.alphaDot", t);
        return t == 1.0 ? 0.0 : HALF_PI * Math.cos(HALF_PI * t);
    }

    @Override
    public double sigmaDot(double t) {
        return -HALF_PI * Math.sin(HALF_PI * Times.check("CosineScheduler.sigmaDot", t));
    }

    @Override
    public String name() {
        return "cosine";
    }
}
