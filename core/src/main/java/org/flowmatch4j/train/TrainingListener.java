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

    /** Tells every listener about the step, in order; true when any of them asks the run to stop after it. */
    static boolean stepAll(java.util.List<? extends TrainingListener> listeners, StepInfo info) {
        boolean stop = false;
        for (TrainingListener l : listeners) {
            l.onStep(info);
            stop |= l.stopRequested();
        }
        return stop;
    }

    /** {@link #onEnd} on every listener, in order, when a step was taken ({@code last} not null). */
    static void endAll(java.util.List<? extends TrainingListener> listeners, StepInfo last) {
        if (last == null) {
            return;
        }
        for (TrainingListener l : listeners) {
            l.onEnd(last);
        }
    }
}
