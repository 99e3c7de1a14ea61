package org.flowmatch4j.train;

/**
 * Stops a run once its training time (the trainers' {@link StepInfo#seconds()}, which excludes set-up) reaches a
 * budget in seconds: the step that crosses the budget is the last. Used to give several methods the same
 * wall-clock budget.
 */
public final class TimeBudget implements TrainingListener {
    private final double seconds;
    private boolean spent;

    /** A budget of {@code seconds} (&gt; 0) of training time. */
    public TimeBudget(double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("time budget must be a positive number of seconds, got " + seconds);
        }
        this.seconds = seconds;
    }

    @Override
    public void onStep(StepInfo info) {
        spent |= info.seconds() >= seconds;
    }

    @Override
    public boolean stopRequested() {
        return spent;
    }

    /** Whether the budget ran out (the run stopped early because of it). */
    public boolean spent() {
        return spent;
    }
}
