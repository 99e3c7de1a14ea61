package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;

/** Maps times {@code t} of shape {@code [batch]} to features {@code [batch, dim()]} for conditioning a network. */
public interface TimeEmbedding {
    /** Number of features produced per time. */
    int dim();

    /** The features of each time in {@code t} (shape {@code [batch]}). */
    Var embed(Var t);

    /** Checks that t is a rank-1 batch of times. */
    static void requireTimeVector(Var t) {
        if (t.shape().length != 1) {
            throw new IllegalArgumentException("time must have shape [batch], got " + java.util.Arrays.toString(t.shape()));
        }
    }
}
