package org.flowmatch4j.nn;

/**
 * A training batch written in a fixed number of independent parts, which {@link FusedMlp#mseStepAndUpdate(BatchWriter,
 * float[], org.flowmatch4j.autodiff.ElementwiseUpdate)} runs on its own threads, inside the pass, instead of in a
 * parallel region of its own before it. Part {@code c} writes its rows of {@link FusedMlp#input()} and of the target;
 * parts must not depend on one another or on which thread runs them (for reproducible data, each draws from a random
 * stream of its own), and every row the pass reads must be written by some part.
 */
public interface BatchWriter {
    /** The number of parts, at least 0; fixed by the data, not by the thread count. */
    int parts();

    /** Writes part {@code c}, {@code 0 ≤ c < parts()}. */
    void write(int c);
}
