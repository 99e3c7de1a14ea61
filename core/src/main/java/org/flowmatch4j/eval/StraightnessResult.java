package org.flowmatch4j.eval;

/**
 * How far the paths of a flow are from straight lines; both figures are in the units of the trajectory (for a
 * {@link org.flowmatch4j.model.GenerativeModel}, its standardised space), and both are 0 for straight paths
 * traversed at constant speed.
 *
 * @param chordDeviation mean over samples of {@code ∫₀¹ ||x_t − ((1−t)·x_0 + t·x_1)|| dt}: the distance from the
 *                       chord between the path's end points (a length)
 * @param velocityDeviation Liu et al.'s straightness {@code S = E ∫₀¹ ||v(t, x_t) − (x_1 − x_0)||² dt}, with the
 *                       velocity taken from finite differences of the recorded states (a squared speed)
 * @param samples        trajectories averaged
 * @param times          recorded times per trajectory
 */
public record StraightnessResult(double chordDeviation, double velocityDeviation, int samples, int times) {
}
