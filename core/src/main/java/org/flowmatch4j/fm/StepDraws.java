package org.flowmatch4j.fm;

import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.train.PairSource;

/**
 * The random draws of one Flow Matching step, in the order they come from the run's generator: the pairs
 * {@code (x0, x1)} from the {@link PairSource}, the times {@code t ~ U[0, 1)}, and a generator split off for the
 * path's noise (so the path may draw any amount of noise without moving the run's stream, which lets later
 * batches be drawn before this one's path is sampled). The arrays are buffers that the next {@link #draw} into
 * them overwrites.
 */
record StepDraws(float[] x0, float[] x1, float[] t, Rng pathNoise) {
    /** Empty buffers for a batch of {@code batch} rows of dimension {@code dim}. */
    static StepDraws buffers(int batch, int dim) {
        return new StepDraws(new float[batch * dim], new float[batch * dim], new float[batch], null);
    }

    /** Draws one step into these buffers; returns them with the step's path-noise generator. */
    StepDraws draw(PairSource pairs, Rng rng) {
        pairs.sample(rng, t.length, x0, x1);
        rng.fillUniform(t, 0, t.length, 0.0, 1.0);
        return new StepDraws(x0, x1, t, rng.split());
    }
}
