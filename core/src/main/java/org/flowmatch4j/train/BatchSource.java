package org.flowmatch4j.train;

import org.flowmatch4j.tensor.Rng;

/** Draws a batch of d-dimensional samples into a caller-provided row-major buffer (e.g. a dataset, with replacement). */
@FunctionalInterface
public interface BatchSource {
    /** Writes {@code batch} samples into {@code out[0, batch·d)}. */
    void sample(Rng rng, int batch, float[] out);
}
