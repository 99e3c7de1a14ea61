package org.flowmatch4j.path;

/**
 * The polynomial convex scheduler {@code α_t = tⁿ}, {@code σ_t = 1 − tⁿ}, with derivatives
 * {@code α'_t = n·t^(n−1) = −σ'_t}. n = 1 is CondOT; larger n spends more of the time near the source.
 *
 * <p>n must be at least 1: for n < 1 the derivative {@code n·t^(n−1)} is unbounded at t = 0, which would make
 * the regression target infinite there.
 *
 * @param n the exponent, a finite number ≥ 1 (need not be an integer)
 */
public record PolynomialScheduler(double n) implements Scheduler {
    /** Validates n. */
    public PolynomialScheduler {
        if (!(n >= 1.0 && Double.isFinite(n))) {
            throw new IllegalArgumentException("PolynomialScheduler: exponent n must be finite and >= 1"
                    + " (n·t^(n−1) is unbounded at t = 0 for n < 1), got " + n);
        }
    }

    @Override
    public double alpha(double t) {
        return Math.pow(Times.check("PolynomialScheduler.alpha", t), n);
    }

    @Override
    public double sigma(double t) {
        return 1.0 - Math.pow(Times.check("PolynomialScheduler.sigma", t), n);
    }

    @Override
    public double alphaDot(double t) {
        return n * Math.pow(Times.check("PolynomialScheduler.alphaDot", t), n - 1.0);
    }

    @Override
    public double sigmaDot(double t) {
        return -n * Math.pow(Times.check("PolynomialScheduler.sigmaDot", t), n - 1.0);
    }

    @Override
    public String name() {
        return "polynomial(n=" + (n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n)) + ")";
    }
}
