package org.flowmatch4j.path;

/**
 * The linear variance-preserving scheduler {@code α_t = t}, {@code σ_t = √(1 − t²)} (so α² + σ² = 1 with a
 * straight α), with {@code α'_t = 1} and {@code σ'_t = −t/√(1 − t²)}.
 *
 * <p>σ'_t diverges at t = 1 (like {@code −1/√(2(1−t))}); for {@code t > 1 − }{@link Scheduler#SINGULAR_EDGE} it
 * is the value at {@code 1 − SINGULAR_EDGE} (about −707), finite and never NaN. σ_t is computed as
 * {@code √((1−t)(1+t))} to keep its relative accuracy near t = 1.
 */
public record LinearVPScheduler() implements Scheduler {
    @Override
    public double alpha(double t) {
        return Times.check("LinearVPScheduler.alpha", t);
    }

    @Override
    public double sigma(double t) {
        Times.check("LinearVPScheduler.sigma", t);
        return Math.sqrt((1.0 - t) * (1.0 + t));
    }

    @Override
    public double alphaDot(double t) {
        Times.check("LinearVPScheduler.alphaDot", t);
        return 1.0;
    }

    @Override
    public double sigmaDot(double t) {
        double c = Times.clampBelowOne(Times.check("LinearVPScheduler.sigmaDot", t));
        return -c / Math.sqrt((1.0 - c) * (1.0 + c));
    }

    @Override
    public String name() {
        return "linear-vp";
    }
}
