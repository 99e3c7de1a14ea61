package org.flowmatch4j.train;

/** Thrown when a loss turns NaN or infinite: the run stops and the parameters of the last good step are kept by the caller's checkpoints. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;

    /** A divergence at the given 1-based step with the offending loss. */
    public TrainingDivergedException(long step, double loss) {
        super("training diverged at step " + step + ": loss is " + loss
                + " (try a lower --lr, gradient clipping, or check the data for extreme values)");
        this.step = step;
    }

    /** A divergence at the given step that shows in the state rather than the loss (e.g. non-finite weights). */
    public TrainingDivergedException(long step, String problem) {
        super("training diverged at step " + step + ": " + problem + " (try a lower --lr or gradient clipping)");
        this.step = step;
    }

    /** The step at which the run diverged. */
    public long step() {
        return step;
    }
}
