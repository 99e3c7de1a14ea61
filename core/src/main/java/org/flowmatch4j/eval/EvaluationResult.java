package org.flowmatch4j.eval;

import java.util.Optional;

/**
 * The figures of an {@link Evaluation}. Distances and likelihoods are in data units; straightness in the model's
 * standardised space.
 *
 * @param method       the model's method ({@code fm}, {@code nf}, …)
 * @param dim          the data dimension d
 * @param samples      samples drawn from the model
 * @param heldOut      held-out points used
 * @param w1           W1 between samples and held-out points
 * @param w2           W2 between samples and held-out points (same subsample as W1)
 * @param mmd          RBF MMD² between samples and held-out points (same subsample)
 * @param testNll      mean −log p over the held-out points, nats
 * @param bitsPerDim   {@code testNll / (d · ln 2)}
 * @param nfe          network evaluations of the sampling solve (1 for a one-pass model)
 * @param nfeLogprob   network evaluations of the likelihood solve
 * @param straightness path straightness of the flow; empty for models without a velocity field
 * @param seconds      wall-clock time of the whole evaluation
 */
public record EvaluationResult(String method, int dim, int samples, int heldOut, WassersteinResult w1,
        WassersteinResult w2, MmdResult mmd, double testNll, double bitsPerDim, long nfe, long nfeLogprob,
        Optional<StraightnessResult> straightness, double seconds) {
    /** The chord deviation of {@link #straightness()}, NaN when there is none. */
    public double chordStraightness() {
        return straightness.map(StraightnessResult::chordDeviation).orElse(Double.NaN);
    }
}
