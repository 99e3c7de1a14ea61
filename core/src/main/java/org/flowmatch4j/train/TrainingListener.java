package org.flowmatch4j.train;

/** Observes a training run (progress display, loss log, checkpoints, early stop). */
public interface TrainingListener {
    /** Called once before the first step with the total number of steps. */
    default void onStart(long totalSteps) {
    }

    /** Called after every step. */
    void onStep(StepInfo info);

    /**
     * Asked after each step: a listener that returns true ends the run after that step (e.g. a time budget);
     * {@link #onEnd} is then called as after the last step.
     */
    default boolean stopRequested() {
        return false;
    }

    /** Called once after the last step (not when the run fails, nor when no step was left to take). */
    default void onEnd(StepInfo last) {
    }
}
