package org.flowmatch4j.solver;

/**
 * Settings of an adaptive solve.
 *
 * <p>A step is accepted when the RMS error norm {@code sqrt(mean_i (err_i / (atol + rtol·max(|y_i|, |ŷ_i|)))²)} is
 * at most 1, with {@code y} the state before and {@code ŷ} the state after the step.
 *
 * @param rtol        relative tolerance, {@code >= 0}
 * @param atol        absolute tolerance, {@code > 0} (keeps the error scale positive where the state is 0)
 * @param initialStep the magnitude of the first step, or 0 to select it automatically (Hairer's heuristic, one
 *                    extra function evaluation)
 * @param minStep     the smallest step magnitude the controller may propose before the solve fails, {@code >= 0};
 *                    the last step, clipped to land on {@code t1}, may be shorter
 * @param maxSteps    the cap on attempted (accepted plus rejected) steps, {@code >= 1}
 */
public record AdaptiveOptions(double rtol, double atol, double initialStep, double minStep, int maxSteps) {
    /** Default tolerances, as in Meta's flow_matching sampler: {@code rtol = atol = 1e-5}. */
    public static final double DEFAULT_TOLERANCE = 1e-5;
    /** Default minimum step magnitude; flow-matching time runs over [0, 1]. */
    public static final double DEFAULT_MIN_STEP = 1e-10;
    /** Default cap on attempted steps. */
    public static final int DEFAULT_MAX_STEPS = 10_000;

    public AdaptiveOptions {
        if (!(rtol >= 0) || !(atol > 0) || Double.isInfinite(rtol) || Double.isInfinite(atol)) {
            throw new IllegalArgumentException("AdaptiveOptions: need finite rtol >= 0 and atol > 0, got rtol=" + rtol
                    + " atol=" + atol);
        }
        if (!(initialStep >= 0) || Double.isInfinite(initialStep)) {
            throw new IllegalArgumentException("AdaptiveOptions: initialStep must be finite and >= 0 (0 = automatic), got "
                    + initialStep);
        }
        if (!(minStep >= 0) || Double.isInfinite(minStep)) {
            throw new IllegalArgumentException("AdaptiveOptions: minStep must be finite and >= 0, got " + minStep);
        }
        if (initialStep > 0 && initialStep < minStep) {
            throw new IllegalArgumentException("AdaptiveOptions: initialStep " + initialStep + " is below minStep "
                    + minStep);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("AdaptiveOptions: maxSteps must be >= 1, got " + maxSteps);
        }
    }

    /** {@code rtol = atol = 1e-5}, automatic initial step, minimum step 1e-10, at most 10 000 steps. */
    public static AdaptiveOptions defaults() {
        return new AdaptiveOptions(DEFAULT_TOLERANCE, DEFAULT_TOLERANCE, 0, DEFAULT_MIN_STEP, DEFAULT_MAX_STEPS);
    }

    /** The defaults with the given tolerances. */
    public static AdaptiveOptions tolerances(double rtol, double atol) {
        return defaults().withTolerances(rtol, atol);
    }

    /** A copy with the given tolerances. */
    public AdaptiveOptions withTolerances(double rtol, double atol) {
        return new AdaptiveOptions(rtol, atol, initialStep, minStep, maxSteps);
    }

    /** A copy with the given first-step magnitude (0 = automatic). */
    public AdaptiveOptions withInitialStep(double initialStep) {
        return new AdaptiveOptions(rtol, atol, initialStep, minStep, maxSteps);
    }

    /** A copy with the given minimum step magnitude. */
    public AdaptiveOptions withMinStep(double minStep) {
        return new AdaptiveOptions(rtol, atol, initialStep, minStep, maxSteps);
    }

    /** A copy with the given cap on attempted steps. */
    public AdaptiveOptions withMaxSteps(int maxSteps) {
        return new AdaptiveOptions(rtol, atol, initialStep, minStep, maxSteps);
    }

    /** Whether the first step is selected automatically. */
    public boolean automaticInitialStep() {
        return initialStep == 0;
    }
}
