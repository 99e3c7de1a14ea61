package org.flowmatch4j.path;

/**
 * The variance-preserving scheduler of the VP SDE (Song et al. 2021) in the t = 0 noise / t = 1 data
 * convention: with {@code s = 1 − t}, the noise rate {@code β(s) = β_min + (β_max − β_min)·s} and its integral
 * {@code T(s) = ∫₀ˢ β = β_min·s + ½(β_max − β_min)·s²},
 * <pre>
 *   α_t = exp(−½·T(1−t)),        σ_t = √(1 − α_t²) = √(−expm1(−T(1−t))),
 *   α'_t = ½·β(1−t)·α_t,         σ'_t = −α_t·α'_t / σ_t = −½·β(1−t)·e^{−T(1−t)} / σ_t.
 * </pre>
 * σ_t is computed as {@code √(−expm1(−T))} so it keeps full relative accuracy as t → 1 where σ → 0.
 *
 * <p>The path does not start exactly at the source: {@code α_0 = e^{−T(1)/2}} (≈ 0.0066 for the defaults).
 * As t → 1, {@code σ_t ≈ √(β_min·(1−t))}, so σ'_t diverges like {@code −½√(β_min/(1−t))}; for
 * {@code t > 1 − }{@link Scheduler#SINGULAR_EDGE} σ'_t is the value at {@code 1 − SINGULAR_EDGE} (finite, never NaN).
 *
 * @param betaMin β_min ≥ 0, the noise rate at the data end
 * @param betaMax β_max ≥ β_min and > 0, the noise rate at the source end
 */
public record VPScheduler(double betaMin, double betaMax) implements Scheduler {
    /** Validates the rates. */
    public VPScheduler {
        if (!(betaMin >= 0.0 && betaMax >= betaMin && betaMax > 0.0 && Double.isFinite(betaMax))) {
            throw new IllegalArgumentException("VPScheduler: need 0 <= betaMin <= betaMax, betaMax > 0 and finite, got betaMin="
                    + betaMin + " betaMax=" + betaMax);
        }
    }

    /** The usual rates β_min = 0.1, β_max = 20. */
    public VPScheduler() {
        this(0.1, 20.0);
    }

    private double beta(double s) {
        return betaMin + (betaMax - betaMin) * s;
    }

    private double integratedBeta(double s) {
        return betaMin * s + 0.5 * (betaMax - betaMin) * s * s;
    }

    @Override
    public double alpha(double t) {
        return Math.exp(-0.5 * integratedBeta(1.0 - Times.check("VPScheduler.alpha", t)));
    }

    @Override
    public double sigma(double t) {
        return Math.sqrt(-Math.expm1(-integratedBeta(1.0 - Times.check("VPScheduler.sigma", t))));
    }

    @Override
    public double alphaDot(double t) {
        double s = 1.0 - Times.check("VPScheduler.alphaDot", t);
        return 0.5 * beta(s) * Math.exp(-0.5 * integratedBeta(s));
    }

    @Override
    public double sigmaDot(double t) {
        double s = 1.0 - Times.clampBelowOne(Times.check("VPScheduler.sigmaDot", t));
        double big = integratedBeta(s);
        return -0.5 * beta(s) * Math.exp(-big) / Math.sqrt(-Math.expm1(-big));
    }

    @Override
    public String name() {
        return "vp(beta_min=" + betaMin + ",beta_max=" + betaMax + ")";
    }
}
