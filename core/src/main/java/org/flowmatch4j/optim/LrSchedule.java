package org.flowmatch4j.optim;

/**
 * A learning rate as a function of the step number (0-based): constant, linear warm-up, cosine decay.
 */
@FunctionalInterface
public interface LrSchedule {
    /** The learning rate for step {@code step}. */
    double at(long step);

    /** Sets the optimiser's rate for the given step. */
    default void apply(Optimizer opt, long step) {
        opt.setLearningRate(at(step));
    }

    /** {@code lr(s) = base}. */
    static LrSchedule constant(double base) {
        return s -> base;
    }

    /** Linear warm-up from base/warmup to base over {@code warmup} steps, then constant: {@code base·min(1, (s+1)/warmup)}. */
    static LrSchedule linearWarmup(double base, long warmup) {
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup steps must be >= 0, got " + warmup);
        }
        return s -> warmup == 0 ? base : base * Math.min(1.0, (s + 1) / (double) warmup);
    }

    /**
     * Linear warm-up over {@code warmup} steps, then cosine decay to {@code minLr} at {@code total}:
     * {@code minLr + (base − minLr)·½(1 + cos(π·(s − warmup)/(total − warmup)))}.
     */
    static LrSchedule cosine(double base, long total, long warmup, double minLr) {
        if (total <= warmup || warmup < 0) {
            throw new IllegalArgumentException("cosine: need 0 <= warmup < total, got warmup=" + warmup + " total=" + total);
        }
        return s -> {
            if (s < warmup) {
                return base * (s + 1) / (double) warmup;
            }
            double p = Math.min(1.0, (s - warmup) / (double) (total - warmup));
            return minLr + (base - minLr) * 0.5 * (1 + Math.cos(Math.PI * p));
        };
    }
}
