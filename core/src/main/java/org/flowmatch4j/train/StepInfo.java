package org.flowmatch4j.train;

/**
 * What a training step reports to {@link TrainingListener}s.
 *
 * @param step      1-based number of the step just taken
 * @param loss      its loss
 * @param gradNorm  the global gradient norm before clipping (NaN when not computed)
 * @param seconds   wall time since training started
 */
public record StepInfo(long step, double loss, double gradNorm, double seconds) {
}
