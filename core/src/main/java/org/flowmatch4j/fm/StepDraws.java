package org.flowmatch4j.fm;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.train.PairSource;

/**
 * The random draws of one Flow Matching step, in the order they come from the run's generator: the pairs
 * {@code (x0, x1)} from the {@link PairSource}, the times {@code t ~ U[0, 1)}, and a generator split off for the
 * path's noise (so the path may draw any amount of noise without moving the run's stream, which lets later
 * batches be drawn before this one's path is sampled).
 */
record StepDraws(float[] x0, float[] x1, float[] t, Rng pathNoise) {
    static StepDraws draw(PairSource pairs, Rng rng, int batch, int dim) {
        float[] x0 = new float[batch * dim];
        float[] x1 = new float[batch * dim];
        float[] t = new float[batch];
        pairs.sample(rng, batch, x0, x1);
        rng.fillUniform(t, 0, batch, 0.0, 1.0);
        return new StepDraws(x0, x1, t, rng.split());
    }
}
