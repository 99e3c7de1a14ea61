package org.flowmatch4j.autodiff;

import java.util.List;

/**
 * A parameter update whose new value of each element depends only on that element: its value, its gradient and its
 * own optimiser state (Adam, SGD with momentum). Such an update can be applied slice by slice, on any thread and in
 * any order, with the same result, to the bit, as one whole step; a fused training pass uses this to start updating
 * the layers whose gradients are complete while other threads are still computing the rest.
 *
 * <p>A step is {@link #beginStep()} once, then {@link #updateSlice} exactly once for every element of every
 * parameter, with the gradients complete; the calls that follow {@code beginStep} may run on other threads, if
 * something orders them after it (a volatile write and read, a thread start).
 */
public interface ElementwiseUpdate {
    /** The parameters updated, in the order {@link #updateSlice} indexes them. */
    List<Var> parameters();

    /** Starts a step: advances the step count and what depends on it (bias corrections). */
    void beginStep();

    /**
     * Updates elements {@code [from, to)} (flat, row-major) of parameter {@code param} from its gradient.
     *
     * @throws IllegalArgumentException if the parameter index or the range is out of bounds
     */
    void updateSlice(int param, int from, int to);
}
